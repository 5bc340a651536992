package csirt.agent.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import csirt.agent.LegalAnswers;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.LegalClock;
import csirt.agent.cases.PpcReport;
import csirt.agent.cases.TimelineEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cases legal} and {@code cases legal-report}: the report of a personal-data breach to the Commission. */
final class LegalCommands {

    private LegalCommands() {
    }

    /** {@code cases legal ID ...}: the four questions and the number of persons, or a report recorded as sent. */
    @Command(name = "legal", mixinStandardHelpOptions = true,
            description = "A personal-data breach (or its suspicion) and the Personal Information Protection Commission: answer "
                    + "whether personal data is concerned, the four triggers of the rules' art. 7 and the number of persons; the "
                    + "agent then keeps the two deadlines (速報 about 5 days, 確報 30 days, 60 for an unauthorised purpose) and "
                    + "reminds. --sent records a report as sent. Without options it shows the case's state.")
    static final class Legal implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "ID", description = "The case id, e.g. C-000001 (or 1).")
        String id;
        @Option(names = "--personal", paramLabel = "yes|no", description = "Personal data (個人データ) is concerned.")
        String personal;
        @Option(names = "--sensitive", paramLabel = "yes|no", description = "要配慮個人情報 is concerned (art. 7(1)).")
        String sensitive;
        @Option(names = "--financial", paramLabel = "yes|no", description = "A risk of financial damage by its misuse (art. 7(2)).")
        String financial;
        @Option(names = "--wrongful", paramLabel = "yes|no", description = "An unauthorised purpose, e.g. unauthorised access or insider theft (art. 7(3)).")
        String wrongful;
        @Option(names = "--persons", paramLabel = "N", description = "The number of persons concerned (over 1,000: art. 7(4)).")
        String persons;
        @Option(names = "--sent", paramLabel = "preliminary|final", description = "Record that the 速報 (preliminary) or 確報 (final) was sent.")
        String sent;
        @Option(names = "--by", paramLabel = "NAME", description = "Who answers, for the timeline (default: the login name).")
        String by;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            put(body, "personal", personal);
            put(body, "sensitive", sensitive);
            put(body, "financial", financial);
            put(body, "wrongful", wrongful);
            put(body, "persons", persons);
            put(body, "sent", sent);
            if (body.isEmpty()) {
                return show();
            }
            body.put("by", CasesCommand.me(by));
            if (CasesCommand.agentRunning(options)) {
                return CasesCommand.viaAgent(options, id, "legal", body);
            }
            return CasesCommand.withStore(options, id, (s, n) -> Terminal.println(LegalAnswers.apply(s, n, CasesCommand.me(by), body)));
        }

        private int show() throws Exception {
            return CasesCommand.withStore(options, id, (s, n) -> {
                Optional<LegalClock.State> st = s.legal(n);
                if (st.isEmpty()) {
                    Terminal.println(CaseRecord.displayId(n) + ": no personal-data answers yet (cases legal " + CaseRecord.displayId(n)
                            + " --personal yes --sensitive no --financial no --wrongful no --persons 12)");
                    return;
                }
                ZoneId zone = options.timeFormat().getZone();
                Terminal.println(PpcReport.status(st.get(), zone));
            });
        }

        private static void put(Map<String, Object> m, String k, String v) {
            if (v != null) {
                m.put(k, v);
            }
        }
    }

    /** {@code cases legal-report ID}: the nine items of the rules' art. 8(1), filled from the case where it knows them. */
    @Command(name = "legal-report", mixinStandardHelpOptions = true,
            description = "Print a draft of the report to the Personal Information Protection Commission: the nine items of "
                    + "the rules' art. 8(1), filled from the case where it knows them (the date, the cause, the hosts, the "
                    + "response); 【要記入】 marks what a person writes.")
    static final class Report implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "ID", description = "The case id, e.g. C-000001 (or 1).")
        String id;

        @Override
        public Integer call() throws Exception {
            DateTimeFormatter time = options.timeFormat();
            return CasesCommand.withStore(options, id, (s, n) -> {
                CaseRecord c = s.find(n).orElseThrow();
                List<TimelineEntry> timeline = s.timeline(n);
                Terminal.println(PpcReport.render(c, s.legal(n).orElse(null), s.events(n, 1000), timeline, s.reportFields(n),
                        time.getZone()));
            });
        }
    }
}
