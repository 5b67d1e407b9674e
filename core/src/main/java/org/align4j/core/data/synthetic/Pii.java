package org.align4j.core.data.synthetic;

import java.util.Locale;
import java.util.Random;

/**
 * One PII-like value planted in a generated example, with the name of the constant that holds it.
 *
 * @param type {@code "email"}, {@code "url"}, {@code "api_key"} or {@code "phone"}
 * @param value the value, as it appears in the text
 * @param constant a plausible name (snake_case) for a variable holding it
 */
record Pii(String type, String value, String constant) {

  private static final String[] TYPES = {"email", "url", "api_key", "phone"};

  /** A random PII-like value of a random type. */
  static Pii random(Random r) {
    String type = TYPES[r.nextInt(TYPES.length)];
    return switch (type) {
      case "email" -> new Pii(type, email(r), Words.pick(r, new String[] {
          "support_email", "owner_email", "alert_email", "admin_contact", "billing_email"}));
      case "url" -> new Pii(type, url(r), Words.pick(r, new String[] {
          "callback_url", "share_link", "export_url", "profile_url", "webhook_url"}));
      case "api_key" -> new Pii(type, apiKey(r), Words.pick(r, new String[] {
          "api_key", "secret_key", "stripe_key", "service_token", "auth_token"}));
      default -> new Pii(type, phone(r), Words.pick(r, new String[] {
          "oncall_phone", "support_phone", "contact_number", "sms_number", "owner_phone"}));
    };
  }

  private static String email(Random r) {
    String first = Words.firstName(r);
    String last = Words.lastName(r);
    String local = switch (r.nextInt(3)) {
      case 0 -> first + "." + last;
      case 1 -> first.charAt(0) + last + Words.between(r, 1, 99);
      default -> first + "_" + last + Words.between(r, 1970, 2005);
    };
    return local + "@" + Words.domain(r);
  }

  private static String url(Random r) {
    return "https://" + Words.host(r) + "/u/" + Words.firstName(r) + Words.between(r, 10, 999) + "/"
        + Words.noun(r) + "s/" + Words.base62(r, 12) + "?token=" + Words.base62(r, 16);
  }

  private static String apiKey(Random r) {
    String prefix = Words.pick(r, new String[] {"sk_live_", "sk_live_", "sk_test_", "rk_live_", "pk_live_"});
    return prefix + Words.base62(r, 24);
  }

  private static String phone(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> String.format(Locale.ROOT, "+1 (%03d) 555-%04d", Words.between(r, 201, 989), r.nextInt(10000));
      case 1 -> String.format(Locale.ROOT, "+44 20 %04d %04d", r.nextInt(10000), r.nextInt(10000));
      default -> String.format(Locale.ROOT, "+49 30 %08d", r.nextInt(100_000_000));
    };
  }
}
