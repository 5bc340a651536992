package csirt.agent.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The local HTTP endpoint: {@code /metrics} in the Prometheus text format and {@code /health}.
 * It binds to 127.0.0.1 unless configured otherwise (http.host).
 */
public final class HttpEndpoint implements Closeable {

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** The outcome of a command sent over HTTP. */
    public record Outcome(boolean ok, String message) {
    }

    /**
     * @param health a one-line JSON document; the endpoint answers 200 when it contains "UP"
     * @param token  what {@code Authorization: Bearer} must carry for a write (POST)
     * @param reload the action of {@code POST /reload}
     */
    public static HttpEndpoint start(String host, int port, PrometheusMeterRegistry registry, Supplier<String> health,
                                     String token, Supplier<Outcome> reload,
                                     java.util.function.Function<String, String> caseJson,
                                     java.util.function.BiFunction<String, String, Outcome> write) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        com.sun.net.httpserver.HttpHandler writes = ex -> {
            if (!authorised(ex, token)) {
                return;
            }
            String body = new String(ex.getRequestBody().readNBytes(1 << 20), java.nio.charset.StandardCharsets.UTF_8);
            Outcome o = write.apply(ex.getRequestURI().getPath(), body);
            respond(ex, o.ok() ? 200 : 422, "text/plain; charset=utf-8", o.message() + "\n");
        };
        server.createContext("/api/intake", writes);
        server.createContext("/api/cases", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                writes.handle(ex);
                return;
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                respond(ex, 405, "text/plain; charset=utf-8", "GET, or POST with the token\n");
                return;
            }
            if (ex.getRequestURI().getPath().equals("/api/cases") || ex.getRequestURI().getPath().equals("/api/cases/")) {
                respond(ex, 200, "application/json; charset=utf-8", caseJson.apply("") + "\n");
                return;
            }
            String id = ex.getRequestURI().getPath().substring("/api/cases/".length());
            String json = caseJson.apply(id);
            if (json == null) {
                respond(ex, 404, "application/json; charset=utf-8", "{\"error\":\"no such case; ids look like C-000001\"}\n");
            } else {
                respond(ex, 200, "application/json; charset=utf-8", json + "\n");
            }
        });
        server.createContext("/reload", ex -> {
            if (!"POST".equals(ex.getRequestMethod())) {
                respond(ex, 405, "text/plain; charset=utf-8", "use POST\n");
                return;
            }
            if (!authorised(ex, token)) {
                return;
            }
            Outcome o = reload.get();
            respond(ex, o.ok() ? 200 : 422, "text/plain; charset=utf-8", o.message() + "\n");
        });
        server.createContext("/metrics", ex -> {
            if (!"GET".equals(ex.getRequestMethod())) {
                respond(ex, 405, "text/plain", "only GET\n");
                return;
            }
            respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        });
        server.createContext("/health/live", ex -> respond(ex, 200, "application/json", "{\"status\":\"UP\"}\n"));
        com.sun.net.httpserver.HttpHandler ready = ex -> {
            String body = health.get();
            respond(ex, body.startsWith("{\"status\":\"UP\"") ? 200 : 503, "application/json", body + "\n");
        };
        server.createContext("/health/ready", ready);
        server.createContext("/health", ready);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "csirt-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new HttpEndpoint(server, executor);
    }

    /** Writes need {@code Authorization: Bearer <data/api.token>}; answers 401 otherwise. */
    private static boolean authorised(HttpExchange ex, String token) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !java.security.MessageDigest.isEqual(auth.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ("Bearer " + token).getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            respond(ex, 401, "text/plain; charset=utf-8",
                    "the API token is missing or wrong: send Authorization: Bearer <the content of data/api.token>\n");
            return false;
        }
        return true;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
