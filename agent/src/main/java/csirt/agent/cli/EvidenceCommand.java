package csirt.agent.cli;

import java.util.concurrent.Callable;

import csirt.agent.journal.JournalVerifier;
import csirt.agent.journal.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code evidence}: work with the evidence journal. */
@Command(name = "evidence", mixinStandardHelpOptions = true, description = "Work with the evidence journal.",
        subcommands = EvidenceCommand.Verify.class)
public final class EvidenceCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("Say what to do, e.g.: csirt-agent evidence verify");
        return 2;
    }

    /** {@code evidence verify}: recompute the hash chain; OK or the first record that does not check. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the journal's hash chain. Prints OK and the chain head, or the first record "
                    + "that does not check; exits 1 then.")
    static final class Verify implements Callable<Integer> {

        @Mixin
        CommonOptions options;

        @picocli.CommandLine.Option(names = "--from", paramLabel = "SEQ", defaultValue = "1",
                description = "Verify from this record on (sealed segments before it are checked against their manifests).")
        long from;

        @picocli.CommandLine.Option(names = "--to", paramLabel = "SEQ", defaultValue = "9223372036854775807",
                description = "Verify up to this record (the segment holding it is verified whole).")
        long to;

        @Override
        public Integer call() throws Exception {
            VerifyResult r = JournalVerifier.verify(options.data().resolve("journal"), from, to, rec -> { });
            if (r.ok()) {
                System.out.println("OK: " + r.records() + " records" + (from > 1 ? " read" : "") + ", seq " + (from > 1 ? from : 1) + ".."
                        + r.lastSeq() + ", chain head " + r.headHash());
                return 0;
            }
            System.out.println("FAILED at seq " + r.problemSeq() + " (" + r.problemFile() + ", offset " + r.problemOffset()
                    + "): " + r.problem());
            System.out.println("Records 1.." + r.lastSeq() + " check; chain head before the problem " + r.headHash());
            return 1;
        }
    }
}
