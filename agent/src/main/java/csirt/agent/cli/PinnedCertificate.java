package csirt.agent.cli;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust for the command line's one connection to its own agent over 127.0.0.1 with TLS: exactly the
 * certificate whose SHA-256 the agent wrote into its owner-only endpoint file, nothing else. The
 * certificate names the log server, not the loopback address, so the usual host-name check could
 * not pass; the pin is the stronger check.
 */
final class PinnedCertificate extends X509ExtendedTrustManager {

    private final String sha256;

    private PinnedCertificate(String sha256) {
        this.sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
    }

    static SSLContext context(String sha256) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new PinnedCertificate(sha256)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up TLS to the agent: " + e.getMessage(), e);
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the agent presented no certificate");
        }
        try {
            String got = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
            if (!MessageDigest.isEqual(got.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    sha256.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new CertificateException("the server on the agent's port is not the agent (certificate SHA-256 " + got
                        + ", the agent wrote " + sha256 + ")");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new CertificateException(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("client certificates are not checked here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("client certificates are not checked here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not checked here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
