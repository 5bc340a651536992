package csirt.agent.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The local HTTP endpoint: {@code /metrics} in the Prometheus text format, {@code /health}, and
 * the API (case data and writes need the token of {@code data/api.token}). It binds to 127.0.0.1
 * unless configured otherwise (http.host), answers only requests whose Host header names this
 * agent (a web page on the log server cannot reach it through DNS rebinding), and bounds what slow
 * or many clients can hold: a request must arrive within 10 s, at most 64 connections are served.
 */
public final class HttpEndpoint implements Closeable {

    /** Most connections served at once; each has its own thread, so a slow one holds up no other. */
    static final int MAX_CONNECTIONS = 64;

    static {
        // the JDK server's own limits (sun.net.httpserver.ServerConfig), read once when it is first
        // used: a client that sends its request slowly is dropped after maxReqTime seconds
        setIfAbsent("sun.net.httpserver.maxReqTime", "10");
        setIfAbsent("sun.net.httpserver.maxRspTime", "60");
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        // keep-alive connections left idle beyond these are closed at once, so clients that open a
        // new connection per request (a scraper without a pool) cannot fill the connection limit
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "16");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

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
     * @param token  what {@code Authorization: Bearer} must carry for case data and every write
     * @param reload the action of {@code POST /reload}
     * @param names  host names the Host header may carry besides the bound address and loopback names
     * @param tls    TLS for the port (http.tls.*), or null for plain HTTP (loopback only, unless check-config was overruled)
     */
    public static HttpEndpoint start(String host, int port, Collection<String> names, PrometheusMeterRegistry registry,
                                     Supplier<String> health, String token, Supplier<Outcome> reload,
                                     Function<String, String> caseJson,
                                     BiFunction<String, String, Outcome> write, HttpHandler console, SSLContext tls)
            throws IOException {
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(host, port), 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters p) {
                    SSLParameters params = tls.getDefaultSSLParameters();
                    params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                    p.setSSLParameters(params);
                }
            });
            server = https;
        }
        Set<String> allowed = new HashSet<>(List.of("localhost", "127.0.0.1", "[::1]", "::1"));
        allowed.add(host.toLowerCase(Locale.ROOT));
        names.forEach(n -> allowed.add(n.strip().toLowerCase(Locale.ROOT)));
        Filter hostCheck = new HostCheck(allowed);
        HttpHandler writes = ex -> {
            if (!authorised(ex, token)) {
                return;
            }
            String body = new String(ex.getRequestBody().readNBytes(1 << 20), StandardCharsets.UTF_8);
            Outcome o = write.apply(ex.getRequestURI().getPath(), body);
            respond(ex, o.ok() ? 200 : 422, "text/plain; charset=utf-8", o.message() + "\n");
        };
        context(server, hostCheck, "/api/intake", writes);
        context(server, hostCheck, "/api/drill", writes);
        context(server, hostCheck, "/api/evidence/custody", writes);
        context(server, hostCheck, "/api/cases", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                writes.handle(ex);
                return;
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                respond(ex, 405, "text/plain; charset=utf-8", "GET, or POST with the token\n");
                return;
            }
            if (!authorised(ex, token)) {
                return; // case data holds raw log lines and personal data: the token, as for writes
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
        context(server, hostCheck, "/reload", ex -> {
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
        // everything else: the web console, which asks for its own login
        context(server, hostCheck, "/", console);
        context(server, hostCheck, "/metrics", ex -> {
            if (!"GET".equals(ex.getRequestMethod())) {
                respond(ex, 405, "text/plain", "only GET\n");
                return;
            }
            respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        });
        context(server, hostCheck, "/health/live", ex -> respond(ex, 200, "application/json", "{\"status\":\"UP\"}\n"));
        HttpHandler ready = ex -> {
            String body = health.get();
            respond(ex, body.startsWith("{\"status\":\"UP\"") ? 200 : 503, "application/json", body + "\n");
        };
        context(server, hostCheck, "/health/ready", ready);
        context(server, hostCheck, "/health", ready);
        // a thread per connection served (at most MAX_CONNECTIONS): one client reading or sending
        // slowly holds up no other, health included
        ExecutorService executor = new ThreadPoolExecutor(2, MAX_CONNECTIONS, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "csirt-http");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.start();
        return new HttpEndpoint(server, executor);
    }

    private static void context(HttpServer server, Filter hostCheck, String path,
                                HttpHandler handler) {
        server.createContext(path, handler).getFilters().add(hostCheck);
    }

    /**
     * Answers 421 to a request whose Host header names another host: a browser on the log server
     * led to 127.0.0.1 by a rebinding DNS name sends that name, and gets nothing.
     */
    private static final class HostCheck extends Filter {
        private final Set<String> allowed;

        HostCheck(Set<String> allowed) {
            this.allowed = allowed;
        }

        @Override
        public void doFilter(HttpExchange ex, Chain chain) throws IOException {
            String host = ex.getRequestHeaders().getFirst("Host");
            if (host == null || allowed.contains(withoutPort(host).toLowerCase(Locale.ROOT))) {
                chain.doFilter(ex);
                return;
            }
            respond(ex, 421, "text/plain; charset=utf-8", "this agent does not answer for that host name; use http://127.0.0.1:"
                    + ex.getLocalAddress().getPort() + "/ or add the name to http.allowed-hosts\n");
        }

        private static String withoutPort(String host) {
            if (host.startsWith("[")) {
                int close = host.indexOf(']');
                return close < 0 ? host : host.substring(0, close + 1);
            }
            int colon = host.lastIndexOf(':');
            return colon < 0 || host.indexOf(':') != colon ? host : host.substring(0, colon);
        }

        @Override
        public String description() {
            return "Host header check";
        }
    }

    /** Case data and writes need {@code Authorization: Bearer <data/api.token>}; answers 401 otherwise. */
    private static boolean authorised(HttpExchange ex, String token) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
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
