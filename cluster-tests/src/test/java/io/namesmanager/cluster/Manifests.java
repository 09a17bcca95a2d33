package io.namesmanager.cluster;

/** Small operations on a rendered stream of YAML documents. */
final class Manifests {

    private Manifests() {
    }

    /** The Namespace documents of STREAM (kustomize writes one top-level {@code kind:} line per document). */
    static String namespaces(String stream) {
        StringBuilder namespaces = new StringBuilder();
        for (String document : stream.split("(?m)^---\\s*$")) {
            if (document.matches("(?s).*(^|\\n)kind: Namespace\\s*(\\n.*|$)")) {
                namespaces.append("---\n").append(document.strip()).append('\n');
            }
        }
        return namespaces.toString();
    }
}
