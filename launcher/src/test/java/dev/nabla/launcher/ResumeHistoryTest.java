package dev.nabla.launcher;

import dev.nabla.launcher.report.RunHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --resume} keeps the run's history: {@code metrics.csv} holds every step of every session, the
 * loss picture's title names the steps it shows, and the summary's rate is of this session's steps.
 */
class ResumeHistoryTest {
    @TempDir
    Path tmp;

    private static Cli train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "realnvp", "--dataset", "moons", "--backend",
                "reference", "--progress", "none", "--set", "blocks=2", "--set", "hidden=16", "--batch-size", "128",
                "--validate-every", "25", "--samples", "0", "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        return r;
    }

    @Test
    void aResumedRunAppendsToTheHistoryAndReportsItsOwnRate() throws Exception {
        Path run = tmp.resolve("run");
        train(run, "--steps", "50");
        List<String> first = Files.readAllLines(run.resolve("metrics.csv"));
        Cli again = train(run, "--steps", "90", "--resume");

        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("step,train_loss,val_loss", csv.getFirst());
        assertEquals(91, csv.size(), "one row per step of both sessions: " + csv);
        for (int i = 1; i <= 90; i++) {
            assertEquals(String.valueOf(i), csv.get(i).split(",")[0], "row " + i);
        }
        assertEquals(first.subList(1, 51), csv.subList(1, 51), "the first session's rows are kept as they were");
        assertEquals(List.of("25", "50", "75"), csv.stream().skip(1).filter(l -> !l.endsWith(","))
                .map(l -> l.split(",")[0]).toList(), "the validations of both sessions");

        Matcher m = Pattern.compile("done: 90 steps \\(40 in this session\\) in ([0-9.]+) s \\(([0-9]+) steps/s\\)")
                .matcher(again.out());
        assertTrue(m.find(), again.out());
        double seconds = Double.parseDouble(m.group(1));
        double rate = Double.parseDouble(m.group(2));
        // 40 steps ran in this session, not 90: the rate times the time is near 40 (rounding aside)
        assertTrue(rate * seconds < 65, "rate " + rate + " over " + seconds + " s is of 90 steps, not 40");
    }

    @Test
    void theTitleSaysWhichStepsThePictureShows() {
        RunHistory h = new RunHistory();
        assertEquals("no steps", h.span(0));
        for (long s = 1; s <= 120; s++) {
            h.onStep(s, 1.0);
        }
        assertEquals("120 steps", h.span(0));
        assertEquals("120 steps, resumed at step 50", h.span(50));
        RunHistory late = new RunHistory();
        for (long s = 5481; s <= 6000; s++) {
            late.onStep(s, 1.0);
        }
        assertEquals("steps 5,481–6,000, resumed at step 5,480", late.span(5480));
    }

    @Test
    void restoreKeepsRowsUpToTheCheckpointAndTheNamedParts() throws Exception {
        Path csv = tmp.resolve("metrics.csv");
        Files.writeString(csv, "step,train_loss,val_loss,recon,kl\n1,3.0,,2.0,1.0\n2,2.5,2.4,1.5,1.0\n3,2.0,,1.2,0.8\n");
        RunHistory h = new RunHistory();
        assertEquals(2, h.restore(csv, 2), "the row past the checkpoint's step is dropped");
        h.onStep(3, 1.9, java.util.Map.of("recon", 1.1, "kl", 0.8));
        assertEquals(List.of(1L, 2L, 3L), h.train().stream().map(RunHistory.Point::step).toList());
        assertEquals(List.of(2L), h.validation().stream().map(RunHistory.Point::step).toList());
        assertEquals(List.of("recon", "kl"), List.copyOf(h.parts().keySet()));
        assertEquals(List.of(2.0, 1.5, 1.1), h.parts().get("recon").stream().map(RunHistory.Point::loss).toList());
        h.writeCsv(csv);
        assertEquals(List.of("step,train_loss,val_loss,recon,kl", "1,3.000000,,2.000000,1.000000",
                "2,2.500000,2.400000,1.500000,1.000000", "3,1.900000,,1.100000,0.800000"), Files.readAllLines(csv));
        assertEquals(0, new RunHistory().restore(tmp.resolve("missing.csv"), 10));
    }
}
