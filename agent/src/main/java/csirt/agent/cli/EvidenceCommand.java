package csirt.agent.cli;

import java.util.concurrent.Callable;

import csirt.agent.journal.JournalVerifier;
import csirt.agent.journal.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code evidence}: work with the evidence journal. */
@Command(name = "evidence", mixinStandardHelpOptions = true, description = "Work with the evidence journal.",
        subcommands = {EvidenceCommand.Verify.class, EvidenceCommand.Export.class, EvidenceCommand.VerifyExport.class})
public final class EvidenceCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("Say what to do, e.g.: csirt-agent evidence verify");
        return 2;
    }

    /** {@code evidence export CASE DIR}: the case's evidence as a bundle anyone can verify. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a case's raw records (exact bytes), their metadata and chain proofs, the case and its timeline, "
                    + "SHA256SUMS and a Japanese README into DIR (new or empty). The export is recorded in the case timeline.")
    static final class Export implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "CASE", description = "The case id, e.g. C-000001.")
        String caseId;

        @picocli.CommandLine.Parameters(index = "1", paramLabel = "DIR", description = "Where to write the bundle.")
        java.nio.file.Path dir;

        @Override
        public Integer call() throws Exception {
            long id = csirt.agent.cases.CaseRecord.parseId(caseId);
            csirt.agent.cases.CaseStore opened = id < 0 ? null : CasesCommand.open(options);
            if (opened == null) {
                System.err.println("No case " + caseId + " in " + options.data() + " (`csirt-agent cases list` shows them).");
                return 1;
            }
            try (csirt.agent.cases.CaseStore store = opened) {
                csirt.agent.evidence.CaseExport.Result r = csirt.agent.evidence.CaseExport.export(store,
                        options.data().resolve("journal"), id, dir, System.getProperty("user.name", "unknown"));
                System.out.println("Exported " + r.records() + " records of " + caseId + " to " + r.dir() + "; check with: cd "
                        + r.dir() + " && sha256sum -c SHA256SUMS");
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }
    }

    /** {@code evidence verify-export DIR}: check a bundle without the live journal. */
    @Command(name = "verify-export", mixinStandardHelpOptions = true,
            description = "Check an evidence bundle: SHA256SUMS, every record's chain proof and raw bytes. Exits 1 on any problem.")
    static final class VerifyExport implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "DIR", description = "The bundle written by evidence export.")
        java.nio.file.Path dir;

        @Override
        public Integer call() throws Exception {
            java.util.List<String> problems = csirt.agent.evidence.ExportVerifier.verify(dir);
            if (problems.isEmpty()) {
                System.out.println("OK: " + dir + " checks (files, chain proofs, raw bytes)");
                return 0;
            }
            problems.forEach(p -> System.out.println("FAILED: " + p));
            return 1;
        }
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
            java.nio.file.Path journal = options.data().resolve("journal");
            if (!java.nio.file.Files.isDirectory(journal) || csirt.agent.journal.Journal.segments(journal).isEmpty()) {
                System.out.println("FAILED: there is no journal in " + journal + ": nothing was verified. Pass the agent's data "
                        + "directory with --data (the unit's is /var/lib/csirt-agent).");
                return 1;
            }
            if (from < 1 || to < from) {
                System.out.println("FAILED: --from " + from + " --to " + (to == Long.MAX_VALUE ? "(end)" : Long.toString(to))
                        + " is not a range of records: --from must be 1 or more and not after --to.");
                return 1;
            }
            VerifyResult r = JournalVerifier.verify(journal, from, to, rec -> { });
            if (r.ok() && r.lastSeq() == 0) {
                System.out.println("OK: the journal in " + journal + " holds no record yet: nothing to verify.");
                return 0;
            }
            if (r.ok() && from > r.lastSeq()) {
                System.out.println("FAILED: the journal ends at seq " + r.lastSeq() + "; there is no record " + from
                        + " to verify from. Records 1.." + r.lastSeq() + " check, chain head " + r.headHash());
                return 1;
            }
            if (r.ok()) {
                System.out.println("OK: " + r.records() + " records" + (from > 1 ? " read" : "") + ", seq " + (from > 1 ? from : 1) + ".."
                        + r.lastSeq() + ", chain head " + r.headHash());
                if (!r.deletedByRetention().isEmpty()) {
                    System.out.println("Deleted by retention, attested in the journal: " + String.join(", ", r.deletedByRetention()));
                }
                return 0;
            }
            System.out.println("FAILED at seq " + r.problemSeq() + " (" + r.problemFile() + ", offset " + r.problemOffset()
                    + "): " + r.problem());
            System.out.println("Records 1.." + r.lastSeq() + " check; chain head before the problem " + r.headHash());
            return 1;
        }
    }
}
