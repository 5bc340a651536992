package csirt.agent.http;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.HexFormat;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import csirt.agent.config.Secrets;
import csirt.agent.config.Settings;
import csirt.agent.config.Settings.Key;

/**
 * TLS on the HTTP port (console, API, metrics) from {@code http.tls.*}: the agent's certificate and
 * key in a PKCS#12 or JKS file, as the syslog TLS input takes them. The certificate's SHA-256 is
 * what the command line pins when it talks to its own agent over 127.0.0.1 (the certificate names
 * the log server, not the loopback address).
 */
public final class HttpTls {

    public static final String KEYSTORE_PASSWORD_ENV = "CSIRT_HTTP_TLS_KEYSTORE_PASSWORD";

    private final SSLContext context;
    private final String fingerprint;

    private HttpTls(SSLContext context, String fingerprint) {
        this.context = context;
        this.fingerprint = fingerprint;
    }

    public SSLContext context() {
        return context;
    }

    /** SHA-256 of the server certificate (DER), hex. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Loads the keystore of the settings; the message names the key at fault and what to do. */
    public static HttpTls load(Settings s) {
        String file = s.get(Key.HTTP_TLS_KEYSTORE);
        if (file.isEmpty()) {
            throw new IllegalArgumentException(Key.HTTP_TLS_KEYSTORE.key() + " is empty: http.tls.enabled=true needs the log server's "
                    + "certificate and private key in a PKCS#12 (or JKS) file, e.g. 'openssl pkcs12 -export -in cert.pem -inkey key.pem "
                    + "-out console.p12'");
        }
        char[] password = Secrets.resolve(s, KEYSTORE_PASSWORD_ENV, Key.HTTP_TLS_KEYSTORE_PASSWORD_FILE, Key.HTTP_TLS_KEYSTORE_PASSWORD)
                .toCharArray();
        try {
            KeyStore ks;
            try {
                ks = KeyStore.getInstance(Path.of(file).toFile(), password);
            } catch (IOException e) {
                throw new IllegalArgumentException(Key.HTTP_TLS_KEYSTORE.key() + " " + file + " cannot be read (" + e.getMessage()
                        + "): check the path, that the service's user may read it, and its password", e);
            }
            X509Certificate cert = null;
            for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (ks.isKeyEntry(alias)) {
                    Certificate c = ks.getCertificate(alias);
                    cert = c instanceof X509Certificate x ? x : null;
                    break;
                }
            }
            if (cert == null) {
                throw new IllegalArgumentException(Key.HTTP_TLS_KEYSTORE.key() + " " + file + " holds no private key with its certificate");
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return new HttpTls(ctx, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(Key.HTTP_TLS_KEYSTORE.key() + " " + file + " cannot be used (" + e.getMessage()
                    + "): it must hold one private key with its certificate chain, protected by the configured password", e);
        }
    }
}
