package csirt.agent.camel;

import java.util.Properties;

import csirt.agent.config.Settings;
import csirt.agent.config.Settings.Key;

/**
 * How the agent talks to the SMTP server: the endpoint URI (without credentials: Camel logs
 * placeholder values at start), the Jakarta Mail properties for STARTTLS and timeouts, and where the
 * password comes from (the environment variable CSIRT_SMTP_PASSWORD, a file readable by the
 * service only, or the setting, in that order).
 */
final class SmtpSettings {

    static final String PASSWORD_ENV = "CSIRT_SMTP_PASSWORD";

    private SmtpSettings() {
    }

    static String uri(Settings s) {
        if (s.get(Key.MAIL_HOST).isEmpty()) {
            return "smtp://unset";
        }
        String scheme = s.get(Key.MAIL_SECURITY).equals("smtps") ? "smtps" : "smtp";
        return scheme + "://" + s.get(Key.MAIL_HOST) + ":" + s.get(Key.MAIL_PORT)
                + "?connectionTimeout=" + s.get(Key.MAIL_TIMEOUT)
                + "&additionalJavaMailProperties=#smtpSecurity";
    }

    static Properties javaMailProperties(Settings s) {
        Properties p = new Properties();
        String t = s.get(Key.MAIL_TIMEOUT);
        for (String proto : new String[] {"smtp", "smtps"}) {
            p.setProperty("mail." + proto + ".connectiontimeout", t);
            p.setProperty("mail." + proto + ".timeout", t);
            p.setProperty("mail." + proto + ".writetimeout", t);
        }
        switch (s.get(Key.MAIL_SECURITY)) {
            case "starttls" -> p.setProperty("mail.smtp.starttls.enable", "true");
            case "starttls-required" -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
            }
            case "smtps" -> p.setProperty("mail.smtps.ssl.checkserveridentity", "true");
            default -> { }
        }
        if (!s.get(Key.MAIL_SECURITY).equals("none")) {
            p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        }
        String trust = s.get(Key.MAIL_SSL_TRUST);
        if (!trust.isEmpty()) {
            // hosts whose certificate is trusted without the JVM's CA store (a private mail server)
            p.setProperty("mail.smtp.ssl.trust", trust);
            p.setProperty("mail.smtps.ssl.trust", trust);
            p.setProperty("mail.smtp.ssl.checkserveridentity", "false");
            p.setProperty("mail.smtps.ssl.checkserveridentity", "false");
        }
        return p;
    }

    /** The SMTP password: environment, then file, then setting; never logged. */
    static String password(Settings s) {
        return csirt.agent.config.Secrets.resolve(s, PASSWORD_ENV, Key.MAIL_PASSWORD_FILE, Key.MAIL_PASSWORD);
    }
}
