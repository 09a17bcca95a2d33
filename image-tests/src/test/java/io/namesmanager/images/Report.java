package io.namesmanager.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Measurements of one test class, printed and written to target/image-report/NAME.md for docs/performance.md. */
final class Report {

    private final String name;
    private final List<String> lines = new ArrayList<>();

    Report(String name, String title) {
        this.name = name;
        lines.add("# " + title);
        lines.add("");
    }

    void line(String text) {
        lines.add(text);
        System.out.println("[image-tests] " + text);
    }

    void write() {
        Path file = Repo.reportDir().resolve(name + ".md");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new AssertionError("Writing " + file, e);
        }
    }
}
