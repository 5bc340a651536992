package csirt.agent.cases;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.poi.xwpf.usermodel.ParagraphAlignment;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTPageMar;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTPageSz;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTSectPr;

/**
 * Report form 1 as a Word document (.docx, Apache POI) for the CISO: the same text as the printable
 * page, one paragraph a line, A4 with the form's margins, the date and the addressee as the plan's
 * form places them, in a Japanese Mincho face.
 */
public final class ReportForm1Docx {

    private static final String FONT = "MS Mincho";

    private ReportForm1Docx() {
    }

    /** {@code text}: Report form 1 as {@link ReportForm1#render} writes it (plain text). */
    public static byte[] of(String text) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CTSectPr sect = doc.getDocument().getBody().addNewSectPr();
            CTPageSz size = sect.addNewPgSz();
            size.setW(java.math.BigInteger.valueOf(11906)); // A4, in twentieths of a point
            size.setH(java.math.BigInteger.valueOf(16838));
            CTPageMar mar = sect.addNewPgMar();
            mar.setTop(java.math.BigInteger.valueOf(1134)); // 20 mm
            mar.setBottom(java.math.BigInteger.valueOf(1134));
            mar.setLeft(java.math.BigInteger.valueOf(851)); // 15 mm
            mar.setRight(java.math.BigInteger.valueOf(851));
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                XWPFParagraph p = doc.createParagraph();
                // the form: its title and the date on the right, the subject centred, 記 and 以上 as the form places them
                if (i == 0 || line.matches("(令和|平成|\\d{4}).*年.*月.*日") || line.equals("統括情報セキュリティ責任者（CSIRT 責任者）")
                        || line.equals("以上")) {
                    p.setAlignment(ParagraphAlignment.RIGHT);
                } else if (line.startsWith("情報セキュリティインシデント事案の発生について") || line.equals("記")) {
                    p.setAlignment(ParagraphAlignment.CENTER);
                }
                XWPFRun r = p.createRun();
                r.setFontFamily(FONT);
                r.setFontSize(line.startsWith("情報セキュリティインシデント事案の発生について") ? 12 : 10.5);
                r.setBold(line.startsWith("情報セキュリティインシデント事案の発生について") || line.matches("\\d \\S.*"));
                r.setText(line);
            }
            doc.write(out);
            return out.toByteArray();
        }
    }
}
