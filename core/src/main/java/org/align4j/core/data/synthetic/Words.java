package org.align4j.core.data.synthetic;

import java.util.Locale;
import java.util.Random;

/** Word lists and identifier builders for plausible, random names in generated code. */
final class Words {

  private static final String[] NOUNS = {
    "user", "order", "invoice", "payment", "account", "session", "token", "record", "event", "message", "report",
    "customer", "product", "cart", "ticket", "shipment", "profile", "device", "sensor", "metric", "job", "task",
    "batch", "queue", "channel", "document", "file", "entry", "item", "route", "region", "tenant", "policy",
    "schedule", "booking", "review", "comment", "article", "asset", "ledger", "quote", "subscription", "webhook",
    "address", "contract", "vendor", "warehouse", "coupon", "rating", "snapshot", "payload", "header", "segment"
  };

  private static final String[] VERBS = {
    "parse", "validate", "convert", "compute", "load", "fetch", "normalize", "merge", "resolve", "build",
    "extract", "format", "render", "sync", "apply", "collect", "filter", "split", "encode", "decode", "check",
    "refresh", "compile", "sanitize", "estimate", "summarize", "group", "rank", "score", "dispatch"
  };

  private static final String[] ADJECTIVES = {
    "active", "pending", "raw", "cached", "remote", "local", "daily", "weekly", "total", "average", "primary",
    "legacy", "partial", "stale", "weighted", "default", "current", "previous", "external", "internal", "max",
    "min", "recent", "archived", "verified", "public", "private", "nested", "compact", "safe"
  };

  private static final String[] FIELDS = {
    "name", "status", "amount", "count", "created_at", "updated_at", "priority", "label", "code", "score",
    "weight", "price", "quantity", "currency", "level", "owner", "kind", "version", "limit", "offset", "ratio",
    "duration", "timestamp", "category", "source", "target", "region", "size", "rank", "flag", "note", "tier"
  };

  private static final String[] UNITS = {
    "celsius", "fahrenheit", "kelvin", "bytes", "kilobytes", "megabytes", "miles", "kilometers", "meters",
    "feet", "cents", "dollars", "euros", "seconds", "minutes", "hours", "grams", "pounds", "liters", "gallons"
  };

  private static final String[] HOST_WORDS = {
    "api", "svc", "data", "edge", "core", "cloud", "hub", "stack", "grid", "node", "mesh", "relay", "vault"
  };

  private static final String[] TLDS = {"com", "io", "net", "org", "dev", "co", "app"};

  private static final String[] FIRST_NAMES = {
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "nina",
    "oscar", "peggy", "quentin", "rupert", "sybil", "trent", "ursula", "victor", "wendy", "yusuf", "zoe",
    "priya", "mateo", "chen", "fatima", "lars", "amara", "kenji"
  };

  private static final String[] LAST_NAMES = {
    "smith", "garcia", "nguyen", "mueller", "rossi", "kowalski", "okafor", "tanaka", "silva", "dubois",
    "novak", "haddad", "larsen", "petrov", "kim", "osei", "moreau", "jensen", "fischer", "costa"
  };

  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private Words() {}

  static String pick(Random r, String[] words) {
    return words[r.nextInt(words.length)];
  }

  static String noun(Random r) {
    return pick(r, NOUNS);
  }

  static String verb(Random r) {
    return pick(r, VERBS);
  }

  static String adjective(Random r) {
    return pick(r, ADJECTIVES);
  }

  static String unit(Random r) {
    return pick(r, UNITS);
  }

  static String firstName(Random r) {
    return pick(r, FIRST_NAMES);
  }

  static String lastName(Random r) {
    return pick(r, LAST_NAMES);
  }

  /** {@code count} distinct snake_case field names. */
  static String[] fields(Random r, int count) {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      String candidate;
      do {
        candidate = r.nextInt(3) == 0 ? adjective(r) + "_" + pick(r, FIELDS) : pick(r, FIELDS);
      } while (contains(out, i, candidate));
      out[i] = candidate;
    }
    return out;
  }

  private static boolean contains(String[] array, int length, String value) {
    for (int i = 0; i < length; i++) {
      if (array[i].equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** A host name such as {@code edge-7.ledgerhub.io}. */
  static String host(Random r) {
    return pick(r, HOST_WORDS) + (r.nextBoolean() ? "-" + (1 + r.nextInt(9)) : "") + "." + noun(r)
        + pick(r, HOST_WORDS) + "." + pick(r, TLDS);
  }

  /** A domain such as {@code vaultmesh.net}. */
  static String domain(Random r) {
    return noun(r) + pick(r, HOST_WORDS) + "." + pick(r, TLDS);
  }

  /** {@code length} random letters and digits. */
  static String base62(Random r, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHANUMERIC.charAt(r.nextInt(ALPHANUMERIC.length())));
    }
    return sb.toString();
  }

  /** Joins words in snake_case: {@code parse_user_record}. */
  static String snake(String... words) {
    return String.join("_", words);
  }

  /** Joins words (which may hold underscores) in camelCase: {@code parseUserRecord}. */
  static String camel(String... words) {
    String pascal = pascal(words);
    return Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
  }

  /** Joins words (which may hold underscores) in PascalCase: {@code UserRecord}. */
  static String pascal(String... words) {
    StringBuilder sb = new StringBuilder();
    for (String word : words) {
      for (String part : word.split("_")) {
        if (!part.isEmpty()) {
          sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
      }
    }
    return sb.toString();
  }

  /** Joins words in UPPER_SNAKE_CASE: {@code MAX_USER_COUNT}. */
  static String upper(String... words) {
    return String.join("_", words).toUpperCase(Locale.ROOT);
  }

  /** A decimal with {@code digits} digits after the point, in {@code [lo, hi)}. */
  static String decimal(Random r, double lo, double hi, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", lo + (hi - lo) * r.nextDouble());
  }

  /** {@code "+ x"} or {@code "- x"} for a random x in {@code [0, bound)} with {@code digits} decimals. */
  static String plusOrMinus(Random r, double bound, int digits) {
    return (r.nextBoolean() ? "+ " : "- ") + decimal(r, 0, bound, digits);
  }

  /** Two different adjectives. */
  static String[] twoAdjectives(Random r) {
    String first = adjective(r);
    String second;
    do {
      second = adjective(r);
    } while (second.equals(first));
    return new String[] {first, second};
  }

  /** An integer in {@code [lo, hi]}. */
  static int between(Random r, int lo, int hi) {
    return lo + r.nextInt(hi - lo + 1);
  }
}
