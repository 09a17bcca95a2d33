package io.namesmanager.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import com.google.gson.JsonElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/lib/Seal.java writes what the Sealed Secrets controller decrypts: sealed here with a fresh key pair (made
 * by the JDK's keytool) and decrypted back the way the controller does it (Sealed Secrets' HybridDecrypt: 2-byte
 * length, RSA-OAEP SHA-256 with the label, AES-256-GCM with a zero nonce). The committed SealedSecrets are checked
 * for scope, keys and the shape their certificate implies (their plaintext is not recoverable without the
 * controller's private key, which is not in the repository).
 */
class SealTest {

    private static final Set<String> DB_KEYS = Set.of("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB",
                                                      "DATABASE_URL");

    @TempDir
    static Path keys;
    private static Path classes;
    private static Class<?> sealerClass;
    private static Path certPem;
    private static PrivateKey privateKey;

    @BeforeAll
    static void compileSealer() {
        // Compiled once so that each case costs a JVM start, not a compilation; one case below runs the
        // documented `java scripts/lib/Seal.java` form.
        classes = keys.resolve("classes");
        int status = javax.tools.ToolProvider.getSystemJavaCompiler().run(
                null, null, null, "--release", "17", "-d", classes.toString(),
                Repo.resolve("scripts/lib/Seal.java").toString());
        assertEquals(0, status, "scripts/lib/Seal.java compiles for Java 17");
    }

    @BeforeAll
    static void freshKeyPair() throws Exception {
        Path store = keys.resolve("test.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "sealing", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=sealed-secret", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", "changeit", "-keypass", "changeit"), null);
        certPem = keys.resolve("cert.pem");
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "sealing", "-keystore", store.toString(),
                    "-storepass", "changeit", "-file", certPem.toString()), null);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        privateKey = (PrivateKey) keyStore.getKey("sealing", "changeit".toCharArray());
    }

    @Test
    void sealedValuesDecryptBackWithTheControllersAlgorithm() throws Exception {
        String url = "postgresql://names:p%40ss=w0rd@db:5432/namesdb";
        K8sObject sealed = seal("names-dev", "db-credentials",
                                "# comment\nPOSTGRES_USER=names\nDATABASE_URL=" + url + "\n\nPOSTGRES_DB=namesdb\n");
        assertEquals(List.of(), SchemaValidator.validate(sealed));
        assertEquals("names-dev", sealed.namespace());
        assertEquals("db-credentials", K8sObject.path(sealed.json(), "spec.template.metadata.name").orElseThrow()
                .getAsString());
        Map<String, String> plain = decryptAll(sealed, "names-dev/db-credentials");
        assertEquals(Map.of("POSTGRES_USER", "names", "DATABASE_URL", url, "POSTGRES_DB", "namesdb"), plain);
    }

    @Test
    void runsAsTheDocumentedSingleFileProgram() throws Exception {
        String yaml = run(List.of(java(), Repo.resolve("scripts/lib/Seal.java").toString(), "--cert",
                                  certPem.toString(), "--namespace", "names-prod", "--name", "db-credentials"),
                          "POSTGRES_DB=namesdb\n");
        K8sObject sealed = new K8sObject(Yaml.documents(yaml, "Seal.java").get(0), "Seal.java");
        assertEquals(Map.of("POSTGRES_DB", "namesdb"), decryptAll(sealed, "names-prod/db-credentials"));
    }

    @Test
    void strictScopeBindsTheCiphertextToNamespaceAndName() throws Exception {
        K8sObject sealed = seal("names-dev", "db-credentials", "POSTGRES_PASSWORD=s3cret\n");
        // Moved to another namespace or renamed, the controller cannot unseal it.
        assertThrows(BadPaddingException.class, () -> decryptAll(sealed, "names-prod/db-credentials"));
        assertThrows(BadPaddingException.class, () -> decryptAll(sealed, "names-dev/other"));
    }

    @Test
    void everySealingIsFreshAndTamperingIsDetected() throws Exception {
        K8sObject a = seal("names-dev", "x", "K=same\n");
        K8sObject b = seal("names-dev", "x", "K=same\n");
        assertFalse(encrypted(a).get("K").equals(encrypted(b).get("K")), "a random session key per value");
        byte[] bytes = Base64.getDecoder().decode(encrypted(a).get("K"));
        bytes[bytes.length - 1] ^= 1;
        assertThrows(AEADBadTagException.class, () -> hybridDecrypt(bytes, "names-dev/x".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesBadInputWithoutEchoingValues() throws Exception {
        assertRefused("invalid key 'bad key'", "bad key=topsecret\n");
        assertRefusedInProcess("no KEY=VALUE lines", "");
        assertRefusedInProcess("expected KEY=VALUE", "just-a-value\n");
        assertRefusedInProcess("duplicate key A", "A=1\nA=2\n");
        assertRefusedInProcess("missing --name", "A=1\n", "--cert", certPem.toString(), "--namespace", "names-dev");
        assertRefusedInProcess("--namespace is not a valid namespace name", "A=1\n", "--cert", certPem.toString(),
                               "--namespace", "Names_Dev", "--name", "x");
    }

    @ParameterizedTest(name = "sealed-secrets/{0}")
    @ValueSource(strings = {"dev", "prod"})
    void committedSealedSecretsMatchTheirCertificate(String env) throws Exception {
        Path dir = Repo.resolve("sealed-secrets/" + env);
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        cert.checkValidity();
        int modulusBytes = (((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength() + 7) / 8;
        assertEquals(512, modulusBytes, env + ": the sealing key should be 4096-bit RSA, like the controller's");

        List<K8sObject> objects = Kustomize.objects(dir);
        assertEquals(1, objects.size(), "sealed-secrets/" + env + " renders one object");
        K8sObject sealed = objects.get(0);
        assertEquals(List.of(), SchemaValidator.validate(sealed));
        assertEquals("SealedSecret/db-credentials", sealed.id());
        assertEquals("names-" + env, sealed.namespace());
        assertTrue(sealed.annotation("sealedsecrets.bitnami.com/namespace-wide").isEmpty()
                   && sealed.annotation("sealedsecrets.bitnami.com/cluster-wide").isEmpty(), "strict scope");
        assertEquals("names-" + env, K8sObject.path(sealed.json(), "spec.template.metadata.namespace").orElseThrow()
                .getAsString());
        Map<String, String> data = encrypted(sealed);
        assertEquals(DB_KEYS, data.keySet(), "the Secret keys of sealed-secrets/README.md");
        for (Map.Entry<String, String> entry : data.entrySet()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(entry.getValue()));
            int rsaLength = Short.toUnsignedInt(bytes.getShort());
            assertEquals(modulusBytes, rsaLength, entry.getKey() + ": RSA part sized for cert.pem's key");
            assertTrue(bytes.remaining() - rsaLength >= 16 + 1, entry.getKey() + ": GCM ciphertext and tag follow");
        }
        String sealedText = Files.readString(dir.resolve("db-credentials.yaml"));
        assertFalse(sealedText.contains("postgresql://"), "no plaintext URL in the sealed file");
    }

    /** Seals in this JVM through the sealer's own methods (the CLI itself is exercised separately). */
    private static K8sObject seal(String namespace, String name, String stdin) throws Exception {
        Object key = sealer("publicKey", Path.class).invoke(null, certPem);
        Object data = sealer("readData", InputStream.class)
                .invoke(null, new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        String yaml = (String) sealer("sealedSecretYaml", java.security.PublicKey.class, String.class, String.class,
                                      Map.class, java.security.SecureRandom.class)
                .invoke(null, key, namespace, name, data, new java.security.SecureRandom());
        List<com.google.gson.JsonObject> docs = Yaml.documents(yaml, "Seal.java output");
        assertEquals(1, docs.size());
        return new K8sObject(docs.get(0), "Seal.java output");
    }

    private static java.lang.reflect.Method sealer(String method, Class<?>... types) throws Exception {
        if (sealerClass == null) {
            sealerClass = new java.net.URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}).loadClass("Seal");
        }
        java.lang.reflect.Method m = sealerClass.getDeclaredMethod(method, types);
        m.setAccessible(true);
        return m;
    }

    /** A refusal through the sealer's methods: an IllegalArgumentException with the message. */
    private static void assertRefusedInProcess(String message, String stdin, String... args) throws Exception {
        java.lang.reflect.InvocationTargetException thrown = assertThrows(
                java.lang.reflect.InvocationTargetException.class, () -> {
                    sealer("options", String[].class).invoke(null, (Object) (args.length > 0 ? args
                            : new String[] {"--cert", certPem.toString(), "--namespace", "names-dev", "--name", "x"}));
                    sealer("readData", InputStream.class).invoke(
                            null, new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
                });
        assertTrue(thrown.getCause() instanceof IllegalArgumentException, thrown.getCause().toString());
        assertTrue(thrown.getCause().getMessage().contains(message),
                   "should say '" + message + "': " + thrown.getCause().getMessage());
        assertFalse(thrown.getCause().getMessage().contains("topsecret"), "values never echoed");
    }

    /** A refusal through the command line: exit status 2, the reason on stderr, nothing on stdout. */
    private static void assertRefused(String message, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classes.toString(), "Seal"));
        command.addAll(args.length > 0 ? List.of(args)
                : List.of("--cert", certPem.toString(), "--namespace", "names-dev", "--name", "x"));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), "exit status for: " + message + "; stderr: " + err);
        assertTrue(err.contains(message), "stderr should say '" + message + "': " + err);
        assertEquals("", out, "nothing on stdout when refusing");
        assertFalse(err.contains("topsecret"), "values never echoed");
    }

    private static Map<String, String> encrypted(K8sObject sealed) {
        Map<String, String> data = new TreeMap<>();
        K8sObject.path(sealed.json(), "spec.encryptedData").orElseThrow().getAsJsonObject().entrySet()
                .forEach(e -> data.put(e.getKey(), e.getValue().getAsString()));
        return data;
    }

    private static Map<String, String> decryptAll(K8sObject sealed, String label) throws GeneralSecurityException {
        Map<String, String> plain = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : K8sObject.path(sealed.json(), "spec.encryptedData").orElseThrow()
                .getAsJsonObject().entrySet()) {
            byte[] bytes = Base64.getDecoder().decode(e.getValue().getAsString());
            plain.put(e.getKey(), new String(hybridDecrypt(bytes, label.getBytes(StandardCharsets.UTF_8)),
                                             StandardCharsets.UTF_8));
        }
        assertArrayEquals(plain.keySet().toArray(), encrypted(sealed).keySet().toArray());
        return plain;
    }

    /** The controller's side, written from its documented format, independently of Seal.java. */
    private static byte[] hybridDecrypt(byte[] ciphertext, byte[] label) throws GeneralSecurityException {
        ByteBuffer in = ByteBuffer.wrap(ciphertext);
        byte[] rsaPart = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(rsaPart);
        byte[] aesPart = new byte[in.remaining()];
        in.get(aesPart);
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.DECRYPT_MODE, privateKey, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                                                                        new PSource.PSpecified(label)));
        byte[] sessionKey = rsa.doFinal(rsaPart);
        assertEquals(32, sessionKey.length, "AES-256 session key");
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(sessionKey, "AES"), new GCMParameterSpec(128, new byte[12]));
        return aes.doFinal(aesPart);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(stdin == null).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = stdin == null ? "" : new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(command.get(0) + " failed: " + out + err);
        }
        return out;
    }
}
