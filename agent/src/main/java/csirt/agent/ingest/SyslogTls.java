package csirt.agent.ingest;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

import csirt.agent.config.Settings;
import csirt.agent.config.Settings.Key;

/**
 * The server side of syslog over TLS (RFC 5425): the agent's certificate from a keystore, the
 * senders' CAs from a truststore, whether a client certificate is asked for or required, and which
 * certificate names may send (RFC 5425 section 5.2: authorise peers by their certificate, not only
 * by the CA that signed it). Only TLS 1.2 and 1.3 are offered.
 *
 * <p>The keystore password comes from the environment ({@value #KEYSTORE_PASSWORD_ENV}), a file
 * readable by the service only, or the setting, in that order; it is never logged.
 */
public final class SyslogTls {

    public static final String KEYSTORE_PASSWORD_ENV = "CSIRT_TLS_KEYSTORE_PASSWORD";
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final String clientAuth;
    private final List<String> permittedPeers;

    private SyslogTls(SSLContext context, String clientAuth, List<String> permittedPeers) {
        this.context = context;
        this.clientAuth = clientAuth;
        this.permittedPeers = permittedPeers;
    }

    /**
     * Loads the stores named in the settings; the exception's message names the key at fault and
     * says what to do (check-config reports it; the daemon does not start with a broken TLS input).
     */
    public static SyslogTls load(Settings s) {
        String keystore = s.get(Key.SYSLOG_TLS_KEYSTORE);
        if (keystore.isEmpty()) {
            throw new IllegalArgumentException(Key.SYSLOG_TLS_KEYSTORE.key() + " is empty: syslog.tls.enabled=true needs the "
                    + "agent's certificate and private key in a PKCS#12 (or JKS) file, e.g. made with "
                    + "'openssl pkcs12 -export -in cert.pem -inkey key.pem -out agent.p12'");
        }
        String clientAuth = s.get(Key.SYSLOG_TLS_CLIENT_AUTH);
        List<String> peers = Arrays.stream(s.get(Key.SYSLOG_TLS_PERMITTED_PEERS).split(","))
                .map(String::strip).filter(p -> !p.isEmpty()).map(p -> p.toLowerCase(Locale.ROOT)).toList();
        if (!peers.isEmpty() && !clientAuth.equals("need")) {
            throw new IllegalArgumentException(Key.SYSLOG_TLS_PERMITTED_PEERS.key() + " is set but " + Key.SYSLOG_TLS_CLIENT_AUTH.key()
                    + " is " + clientAuth + ": peers can only be checked by their certificate; set " + Key.SYSLOG_TLS_CLIENT_AUTH.key() + "=need");
        }
        String truststore = s.get(Key.SYSLOG_TLS_TRUSTSTORE);
        if (!clientAuth.equals("none") && truststore.isEmpty()) {
            throw new IllegalArgumentException(Key.SYSLOG_TLS_TRUSTSTORE.key() + " is empty but " + Key.SYSLOG_TLS_CLIENT_AUTH.key()
                    + " is " + clientAuth + ": name the file holding the CA certificates that sign the senders' certificates");
        }
        char[] password = keystorePassword(s).toCharArray();
        try {
            KeyStore ks = open(Key.SYSLOG_TLS_KEYSTORE, keystore, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            TrustManagerFactory tmf = null;
            if (!truststore.isEmpty()) {
                KeyStore ts = open(Key.SYSLOG_TLS_TRUSTSTORE, truststore, s.get(Key.SYSLOG_TLS_TRUSTSTORE_PASSWORD).toCharArray());
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return new SyslogTls(ctx, clientAuth, peers);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(Key.SYSLOG_TLS_KEYSTORE.key() + " " + keystore + " cannot be used ("
                    + e.getMessage() + "): it must hold one private key with its certificate chain, protected by the configured password", e);
        }
    }

    /** A new server-side engine for one connection. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(Arrays.stream(PROTOCOLS)
                .filter(p -> Arrays.asList(engine.getSupportedProtocols()).contains(p)).toArray(String[]::new));
        switch (clientAuth) {
            case "need" -> engine.setNeedClientAuth(true);
            case "want" -> engine.setWantClientAuth(true);
            default -> { }
        }
        return engine;
    }

    /**
     * After the handshake: null when the peer may send, else why not. With no permitted-peers list,
     * any certificate the truststore accepted (or none, when not required) may send.
     */
    public String refusal(SSLSession session) {
        if (permittedPeers.isEmpty()) {
            return null;
        }
        X509Certificate cert;
        try {
            Certificate[] chain = session.getPeerCertificates();
            cert = (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException e) {
            return "no client certificate";
        }
        List<String> names = names(cert);
        for (String name : names) {
            for (String permitted : permittedPeers) {
                if (matches(permitted, name)) {
                    return null;
                }
            }
        }
        return "certificate names " + names + " are not in " + Key.SYSLOG_TLS_PERMITTED_PEERS.key();
    }

    /** The certificate's subject CN and its DNS and IP subject alternative names, lower case. */
    static List<String> names(X509Certificate cert) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    out.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                }
            }
        } catch (InvalidNameException e) {
            // an unparsable subject contributes no name; SANs may still match
        }
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) { // dNSName, iPAddress
                        out.add(san.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // as above
        }
        return List.copyOf(out);
    }

    /** Exact name, or a leading "*." matching exactly one label (RFC 6125 style). */
    static boolean matches(String permitted, String name) {
        if (permitted.startsWith("*.")) {
            String suffix = permitted.substring(1);
            return name.endsWith(suffix) && name.indexOf('.') == name.length() - suffix.length();
        }
        if (permitted.equals(name)) {
            return true;
        }
        // an IP written differently (::1 vs 0:0:0:0:0:0:0:1) is the same address
        if (permitted.matches("[0-9a-f:.]+") && name.matches("[0-9a-f:.]+")) {
            try {
                return InetAddress.getByName(permitted).equals(InetAddress.getByName(name));
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    private static KeyStore open(Key key, String file, char[] password) throws GeneralSecurityException {
        try {
            return KeyStore.getInstance(Path.of(file).toFile(), password);
        } catch (IOException e) {
            throw new IllegalArgumentException(key.key() + " " + file + " cannot be read (" + e.getMessage()
                    + "): check the path, that the service's user may read it, and its password", e);
        }
    }

    private static String keystorePassword(Settings s) {
        return csirt.agent.config.Secrets.resolve(s, KEYSTORE_PASSWORD_ENV, Key.SYSLOG_TLS_KEYSTORE_PASSWORD_FILE, Key.SYSLOG_TLS_KEYSTORE_PASSWORD);
    }
}
