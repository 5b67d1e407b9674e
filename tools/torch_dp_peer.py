#!/usr/bin/env python3
# PyTorch peer of align4j's DpSgdStepBenchmark: one DP-SGD step (per-example gradients by functorch's vmap over
# grad, flat clipping of each example's gradient to C = 1, Gaussian noise with sigma = 1, division by the batch
# size, AdamW) and one non-private step (batch gradient, global-norm clip to 1, AdamW) on the benchmark's model and
# batch shape: pre-LN GPT-style transformer with learned positions, tied output and GELU as x*sigmoid(1.702x),
# d_model 64, 2 layers, 4 heads, context 32, vocabulary 259, 16 sequences of 32 tokens.
# Needs Debian's python3-torch (1.13, which bundles functorch); run with /usr/bin/python3.
# OMP_WAIT_POLICY=PASSIVE (set below unless given) keeps torch's OpenMP threads from spinning on 2 cores.
# usage: /usr/bin/python3 torch_dp_peer.py [steps] [threads]
import os; os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import math, sys, time, torch, torch.nn as nn, torch.nn.functional as F
from functorch import make_functional, vmap, grad

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 30
torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2); torch.manual_seed(1)
V, T, D, H, L, B, C, SIGMA, LR = 259, 32, 64, 4, 2, 16, 1.0, 1.0, 1e-4


class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln1 = nn.LayerNorm(D); s.qkv = nn.Linear(D, 3 * D); s.o = nn.Linear(D, D)
        s.ln2 = nn.LayerNorm(D); s.w1 = nn.Linear(D, 4 * D); s.w2 = nn.Linear(4 * D, D)

    def forward(s, x):
        b, t, _ = x.shape
        q, k, v = s.qkv(s.ln1(x)).split(D, 2)
        q, k, v = [z.reshape(b, t, H, D // H).transpose(1, 2) for z in (q, k, v)]
        att = (q @ k.transpose(-1, -2)) / math.sqrt(D // H)
        att = att.masked_fill(~torch.ones(t, t, dtype=torch.bool).tril(), float('-inf')).softmax(-1)
        x = x + s.o((att @ v).transpose(1, 2).reshape(b, t, D))
        h = s.w1(s.ln2(x))
        return x + s.w2(h * torch.sigmoid(1.702 * h))


class Lm(nn.Module):
    def __init__(s):
        super().__init__(); s.tok = nn.Embedding(V, D); s.pos = nn.Embedding(T, D)
        s.blocks = nn.ModuleList([Block() for _ in range(L)]); s.lnf = nn.LayerNorm(D)

    def forward(s, ids):
        x = s.tok(ids) + s.pos(torch.arange(ids.shape[1]))
        for blk in s.blocks: x = blk(x)
        return s.lnf(x) @ s.tok.weight.t()


ids = torch.randint(ord('a'), ord('a') + 26, (B, T + 1))
inputs, targets = ids[:, :-1], ids[:, 1:]

plain = Lm(); plain_opt = torch.optim.AdamW(plain.parameters(), lr=LR, weight_decay=0.01)


def plain_step():
    loss = F.cross_entropy(plain(inputs).reshape(-1, V), targets.reshape(-1), reduction='sum') / B
    plain_opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(plain.parameters(), 1.0)
    plain_opt.step()


private = Lm(); fmodel, _ = make_functional(private)
params = list(private.parameters()); dp_opt = torch.optim.AdamW(params, lr=LR, weight_decay=0.01)
noise = torch.Generator().manual_seed(7)


def example_loss(p, x, y):
    return F.cross_entropy(fmodel(p, x.unsqueeze(0)).reshape(-1, V), y.reshape(-1), reduction='sum')


per_example = vmap(grad(example_loss), in_dims=(None, 0, 0))


def dp_step():
    g = per_example(tuple(params), inputs, targets)
    norms = torch.sqrt(sum(gi.reshape(B, -1).pow(2).sum(1) for gi in g))
    scale = (C / (norms + 1e-6)).clamp(max=1.0)
    for p, gi in zip(params, g):
        summed = torch.einsum('b,b...->...', scale, gi)
        p.grad = (summed + SIGMA * C * torch.randn(p.shape, generator=noise)) / B
    dp_opt.step()


for name, fn in (("non-private step", plain_step), ("DP-SGD step (vmap)", dp_step)):
    fn(); fn()
    ts = []
    for _ in range(steps):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    ts.sort()
    print(f"torch {name}: median {ts[len(ts) // 2] * 1000:.1f} ms (min {ts[0] * 1000:.1f}, "
          f"max {ts[-1] * 1000:.1f}) over {steps} steps, {torch.get_num_threads()} threads")
