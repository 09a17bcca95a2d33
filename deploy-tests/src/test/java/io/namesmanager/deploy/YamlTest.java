package io.namesmanager.deploy;

import java.util.List;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YAML reader keeps what strict validation needs to see. */
class YamlTest {

    @Test
    void keepsScalarTypesAsWritten() {
        JsonObject doc = Yaml.documents("date: 2026-11-23\nquoted: \"8000\"\nport: 8000\nratio: 0.5\nflag: true\n",
                                        "test").get(0);
        assertTrue(doc.get("date").getAsJsonPrimitive().isString(), "an unquoted date stays a string");
        assertTrue(doc.get("quoted").getAsJsonPrimitive().isString());
        assertEquals("8000", doc.get("port").getAsJsonPrimitive().getAsNumber().toString());
        assertEquals("0.5", doc.get("ratio").getAsJsonPrimitive().getAsNumber().toString());
        assertTrue(doc.get("flag").getAsJsonPrimitive().isBoolean());
    }

    @Test
    void rejectsDuplicateKeys() {
        RuntimeException error = assertThrows(RuntimeException.class,
                                              () -> Yaml.documents("spec:\n  replicas: 1\n  replicas: 2\n", "test"));
        assertTrue(error.getMessage().contains("found duplicate key replicas"), error.getMessage());
    }

    @Test
    void skipsEmptyDocumentsAndRejectsScalarDocuments() {
        assertEquals(List.of(), Yaml.documents("---\n---\n", "test"));
        AssertionError error = assertThrows(AssertionError.class, () -> Yaml.documents("just text\n", "test.yaml"));
        assertEquals("test.yaml: document 1 is not a mapping", error.getMessage());
    }
}
