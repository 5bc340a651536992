package csirt.agent.console;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * The console's requests and answers: forms and queries decoded, the session cookie found, the
 * same-origin check, the security headers every answer carries, redirects, and static files from
 * the jar. No page logic here.
 */
final class ConsoleHttp {

    static final String COOKIE = "csirt_session";
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private ConsoleHttp() {
    }

    static void asset(HttpExchange ex, byte[] body, String type) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    static byte[] classpath(String name) throws IOException {
        try (var in = ConsoleHttp.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    static void securityHeaders(HttpExchange ex) {
        ex.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on a form POST
        ex.getResponseHeaders().set("Referrer-Policy", "same-origin");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
    }

    static void redirect(HttpExchange ex, String to) throws IOException {
        securityHeaders(ex);
        ex.getResponseHeaders().set("Location", to);
        ex.sendResponseHeaders(303, -1);
    }

    /** A browser sends Origin with a form POST: it must be this agent's own (CSRF's second line, after the token). */
    static boolean sameOrigin(HttpExchange ex) {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        String scheme = ex instanceof com.sun.net.httpserver.HttpsExchange ? "https://" : "http://";
        return origin == null || host != null && origin.equals(scheme + host);
    }

    static String cookie(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    static Map<String, String> form(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(MAX_FORM_BYTES);
        return decode(new String(body, StandardCharsets.UTF_8));
    }

    static Map<String, String> query(HttpExchange ex) {
        String q = ex.getRequestURI().getRawQuery();
        return q == null ? Map.of() : decode(q);
    }

    static Map<String, String> decode(String s) {
        Map<String, String> out = new HashMap<>();
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // a malformed escape: that field is left out
                }
            }
        }
        return out;
    }

    static byte[] resource(String name) throws IOException {
        try (var in = ConsoleHttp.class.getResourceAsStream(name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        }
    }
}
