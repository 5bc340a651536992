package csirt.agent.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import csirt.agent.OwnMessages;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.evidence.CaseExport;
import csirt.agent.evidence.ExportVerifier;
import csirt.agent.journal.Journal;
import csirt.agent.journal.JournalEntry;
import csirt.agent.journal.JournalVerifier;
import csirt.agent.journal.Receipt;
import csirt.agent.journal.VerifyResult;
import csirt.agent.util.Json;
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
        Path dir;

        @Override
        public Integer call() throws Exception {
            long id = CaseRecord.parseId(caseId);
            CaseStore opened = id < 0 ? null : CasesCommand.open(options);
            if (opened == null) {
                System.err.println("No case " + caseId + " in " + options.data() + " (`csirt-agent cases list` shows them).");
                return 1;
            }
            try (CaseStore store = opened) {
                CaseExport.Result r = CaseExport.export(store, options.data().resolve("journal"), id, dir,
                        System.getProperty("user.name", "unknown"), statement -> custody(options, statement));
                System.out.println("Exported " + r.records() + " records of " + caseId + " to " + r.dir() + "; check with: cd "
                        + r.dir() + " && sha256sum -c SHA256SUMS");
                System.out.println("Chain head at the export's custody record: " + r.headSeq() + ":" + r.headHash());
                System.out.println("Keep it with the hand-over record; it proves the records, case.json and timeline.json: "
                        + "csirt-agent evidence verify-export " + r.dir() + " --head " + r.headSeq() + ":" + r.headHash());
                System.out.println("Chain proof: " + r.chainLines() + " records (seq " + (r.headSeq() - r.chainLines() + 1) + ".." + r.headSeq()
                        + "), " + Files.size(r.dir().resolve(CaseExport.CHAIN_FILE)) + " bytes");
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }

        /**
         * Journals the custody statement: through the running agent, which holds the journal, or,
         * when none runs on this data directory, by opening the journal here (its lock keeps an agent
         * from starting meanwhile).
         */
        private static long custody(CommonOptions options, String statement) throws IOException {
            Path journalDir = options.data().resolve("journal");
            if (Journal.inUse(journalDir)) {
                try {
                    LocalApi.Answer a = LocalApi.call(options, "/api/evidence/custody", "statement: " + Json.string(statement) + "\n");
                    if (a.status() != 200) {
                        throw new IOException("the running agent refused the export's custody record: " + a.body());
                    }
                    return Long.parseLong(a.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the agent journaled the export's custody record", e);
                }
            }
            try (Journal journal = Journal.open(journalDir, 0)) {
                String line = "<110>1 " + Instant.now() + " " + InetAddress.getLocalHost().getHostName()
                        + " csirt-agent - - - " + statement;
                long seq = journal.append(List.of(new JournalEntry(new Receipt(Instant.now(),
                        OwnMessages.CUSTODY_INPUT, "internal", "-", 0), 0, line.getBytes(StandardCharsets.UTF_8))));
                journal.sync();
                return seq;
            }
        }
    }

    /** {@code evidence verify-export DIR [--head SEQ:SHA256]}: check a bundle without the live journal. */
    @Command(name = "verify-export", mixinStandardHelpOptions = true,
            description = "Check an evidence bundle: SHA256SUMS, every record's raw bytes, the chain proof and the custody record; "
                    + "with --head, that the chain reaches that head (printed in a notice, a digest or by the export). "
                    + "Prints what it proved; exits 1 on any problem.")
    static final class VerifyExport implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "DIR", description = "The bundle written by evidence export.")
        Path dir;

        @picocli.CommandLine.Option(names = "--head", paramLabel = "SEQ:SHA256",
                description = "A chain head kept outside the server (a notice's or digest's チェーン先頭, or the one the export printed).")
        String head;

        @Override
        public Integer call() throws Exception {
            ExportVerifier.Head witness;
            try {
                witness = head == null ? null : ExportVerifier.Head.parse(head);
            } catch (IllegalArgumentException e) {
                System.out.println("FAILED: " + e.getMessage());
                return 1;
            }
            ExportVerifier.Report r = ExportVerifier.verify(dir, witness);
            if (r.ok()) {
                System.out.println("OK: " + dir);
                r.proved().forEach(p -> System.out.println("  " + p));
                return 0;
            }
            r.problems().forEach(p -> System.out.println("FAILED: " + p));
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
            Path journal = options.data().resolve("journal");
            if (!Files.isDirectory(journal) || Journal.segments(journal).isEmpty()) {
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
