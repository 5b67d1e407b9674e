# R's lowess on the data LowessColdStart --write produced: the first call in a fresh R process, elapsed time.
# Usage: Rscript lowess_peer.R data.csv [frac]
args <- commandArgs(trailingOnly = TRUE)
frac <- if (length(args) > 1) as.numeric(args[2]) else 0.1
d <- read.csv(args[1])
cpu <- proc.time()
start <- Sys.time()
fit <- lowess(d$x, d$y, f = frac, iter = 3, delta = 0.01 * diff(range(d$x)))
elapsed <- as.numeric(Sys.time() - start, units = "secs")
cpu <- sum((proc.time() - cpu)[1:2])
cat(sprintf("ms=%.3f cpu_ms=%.0f sum=%.10f\n", 1000 * elapsed, 1000 * cpu, sum(fit$y)))
