package csirt.agent.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * Where and when a message arrived: the metadata journaled beside its exact bytes.
 *
 * @param receivedAt when the agent read the bytes (never the sender's claimed time)
 * @param input      the input (route id) that received it, e.g. {@code syslog-tcp}
 * @param transport  {@code udp}, {@code tcp}, {@code file}, ...
 * @param peerAddress the sender's IP address as text, or {@code -} when there is none (file input)
 * @param peerPort   the sender's port, 0 when there is none
 */
public record Receipt(Instant receivedAt, String input, String transport, String peerAddress, int peerPort) {

    public Receipt {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(transport, "transport");
        peerAddress = peerAddress == null || peerAddress.isEmpty() ? "-" : peerAddress;
        if (peerPort < 0 || peerPort > 65535) {
            throw new IllegalArgumentException("peerPort out of range: " + peerPort);
        }
    }

    /** The peer as {@code address:port}, or {@code -} for inputs without a peer. */
    public String peer() {
        return peerPort == 0 ? peerAddress : peerAddress + ":" + peerPort;
    }
}
