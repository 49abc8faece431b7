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
        train(run, "--steps", "1000");
        List<String> first = Files.readAllLines(run.resolve("metrics.csv"));
        // the resumed session is short (200 steps) beside the history (1,000): a rate of all 1,200 steps over this
        // session's time would be six times too high, which the time printed to 0.1 s cannot hide
        Cli again = train(run, "--steps", "1200", "--resume");

        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("step,train_loss,val_loss", csv.getFirst());
        assertEquals(1201, csv.size(), "one row per step of both sessions");
        for (int i = 1; i <= 1200; i++) {
            assertEquals(String.valueOf(i), csv.get(i).split(",")[0], "row " + i);
        }
        assertEquals(first.subList(1, 1001), csv.subList(1, 1001), "the first session's rows are kept as they were");
        List<String> validated = csv.stream().skip(1).filter(l -> !l.endsWith(",")).map(l -> l.split(",")[0]).toList();
        assertEquals(List.of("25", "50", "75"), validated.subList(0, 3), "the validations of both sessions");
        assertEquals(1200 / 25, validated.size(), "one validation every 25 steps: " + validated);

        Matcher m = Pattern.compile("done: 1200 steps \\(200 in this session\\) in ([0-9.]+) s \\(([0-9]+) steps/s\\)")
                .matcher(again.out());
        assertTrue(m.find(), again.out());
        double seconds = Double.parseDouble(m.group(1));
        double rate = Double.parseDouble(m.group(2));
        // rate × time is this session's 200 steps (the time is printed to 0.1 s, the rate to 1 step/s)
        double low = (rate - 0.5) * Math.max(seconds - 0.05, 0);
        double high = (rate + 0.5) * (seconds + 0.05);
        assertTrue(low <= 200 && 200 <= high, "rate " + rate + " over " + seconds + " s is not of this session's 200 steps");
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
