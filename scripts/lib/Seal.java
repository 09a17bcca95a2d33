/*
 * Seals a Secret for the Sealed Secrets controller, offline, from its public certificate: the project's
 * stand-in for `kubeseal --cert cert.pem --scope strict`, needing nothing but a JDK 17+.
 *
 *   printf 'KEY=value\n...' | java scripts/lib/Seal.java --cert sealed-secrets/dev/cert.pem \
 *       --namespace names-dev --name db-credentials > sealed-secrets/dev/db-credentials.yaml
 *
 * Input: KEY=VALUE lines on stdin (split at the first '='; blank lines and lines starting with '#' are
 * skipped; the value is taken verbatim as UTF-8, without the line break). Output: a SealedSecret
 * (bitnami.com/v1alpha1) in YAML on stdout. Nothing is written to disk, and values never reach the output
 * or an error message in plain text.
 *
 * Scope: strict only (the Secret can be unsealed only under this exact namespace and name).
 *
 * Format (Sealed Secrets' hybrid encryption, as its controller decrypts it), per value:
 *   a random 32-byte AES-256 session key, encrypted with RSA-OAEP (SHA-256, MGF1 with SHA-256) under the
 *   certificate's public key, with the label "<namespace>/<name>";
 *   the value encrypted with AES-256-GCM under the session key, a 12-byte all-zero nonce (the key is used once)
 *   and a 16-byte tag;
 *   output = 2-byte big-endian length of the RSA ciphertext || RSA ciphertext || GCM ciphertext and tag,
 *   base64-encoded (standard alphabet, padded).
 */

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/** Offline sealer for Sealed Secrets (strict scope). */
public final class Seal {

    private static final String USAGE = "usage: java scripts/lib/Seal.java --cert CERT.pem --namespace NAMESPACE"
            + " --name NAME  < KEY=VALUE lines";
    /** Secret data keys: what the API server accepts. */
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    /** DNS-1123 label (namespace) and subdomain (object name). */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][-._A-Za-z0-9]*");
    private static final Pattern YAML_WORDS = Pattern.compile("(?i)y|n|yes|no|on|off|true|false|null");
    private static final int SESSION_KEY_BYTES = 32;
    private static final int GCM_NONCE_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;

    private Seal() {
    }

    /**
     * Entry point.
     *
     * @param args {@code --cert FILE --namespace NS --name NAME}
     */
    public static void main(String[] args) {
        try {
            Map<String, String> options = options(args);
            PublicKey key = publicKey(Path.of(options.get("--cert")));
            Map<String, String> data = readData(System.in);
            System.out.print(sealedSecretYaml(key, options.get("--namespace"), options.get("--name"), data,
                                              new SecureRandom()));
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            PrintStream err = System.err;
            err.println("Seal: " + e.getMessage());
            System.exit(2);
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.equals("--cert") && !name.equals("--namespace") && !name.equals("--name")) {
                throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            options.put(name, args[i + 1]);
        }
        for (String required : new String[] {"--cert", "--namespace", "--name"}) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required + "\n" + USAGE);
            }
        }
        if (!LABEL.matcher(options.get("--namespace")).matches()) {
            throw new IllegalArgumentException("--namespace is not a valid namespace name");
        }
        if (!SUBDOMAIN.matcher(options.get("--name")).matches()) {
            throw new IllegalArgumentException("--name is not a valid Secret name");
        }
        return options;
    }

    /** The RSA public key of a PEM certificate (the controller's cert.pem). */
    static PublicKey publicKey(Path certPem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(certPem)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            if (!(cert.getPublicKey() instanceof RSAPublicKey)) {
                throw new GeneralSecurityException(certPem + ": not an RSA certificate");
            }
            cert.checkValidity();
            return cert.getPublicKey();
        }
    }

    /** Reads KEY=VALUE lines; the values stay in memory only. */
    static Map<String, String> readData(InputStream in) throws IOException {
        Map<String, String> data = new TreeMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNo = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("stdin line " + lineNo + ": expected KEY=VALUE");
            }
            String key = line.substring(0, eq);
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("stdin line " + lineNo + ": invalid key '" + key
                                                   + "' (letters, digits, '-', '_' and '.' only)");
            }
            if (data.put(key, line.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("stdin line " + lineNo + ": duplicate key " + key);
            }
        }
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no KEY=VALUE lines on stdin\n" + USAGE);
        }
        return data;
    }

    /** The label that binds a strict-scope ciphertext to one namespace and name. */
    static byte[] strictLabel(String namespace, String name) {
        return (namespace + "/" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** Sealed Secrets' hybrid encryption of one value (see the file comment for the format). */
    static byte[] hybridEncrypt(PublicKey key, byte[] plaintext, byte[] label, SecureRandom random)
            throws GeneralSecurityException {
        byte[] sessionKey = new byte[SESSION_KEY_BYTES];
        random.nextBytes(sessionKey);

        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                                                                 new PSource.PSpecified(label)), random);
        byte[] rsaCiphertext = rsa.doFinal(sessionKey);

        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"),
                 new GCMParameterSpec(GCM_TAG_BITS, new byte[GCM_NONCE_BYTES]));
        byte[] aesCiphertext = aes.doFinal(plaintext);

        ByteBuffer out = ByteBuffer.allocate(2 + rsaCiphertext.length + aesCiphertext.length);
        out.putShort((short) rsaCiphertext.length);
        out.put(rsaCiphertext);
        out.put(aesCiphertext);
        return out.array();
    }

    /** A data key as a YAML mapping key: quoted where YAML would read it as a number, boolean or null. */
    static String yamlKey(String key) {
        boolean plain = PLAIN_KEY.matcher(key).matches() && !YAML_WORDS.matcher(key).matches();
        return plain ? key : "'" + key + "'";
    }

    /** The SealedSecret document, keys sorted so that re-sealing gives a readable diff. */
    static String sealedSecretYaml(PublicKey key, String namespace, String name, Map<String, String> data,
                                   SecureRandom random) throws GeneralSecurityException {
        byte[] label = strictLabel(namespace, name);
        StringBuilder yaml = new StringBuilder()
                .append("apiVersion: bitnami.com/v1alpha1\n")
                .append("kind: SealedSecret\n")
                .append("metadata:\n")
                .append("  name: ").append(name).append('\n')
                .append("  namespace: ").append(namespace).append('\n')
                .append("spec:\n")
                .append("  encryptedData:\n");
        for (Map.Entry<String, String> entry : new TreeMap<>(data).entrySet()) {
            byte[] sealed = hybridEncrypt(key, entry.getValue().getBytes(StandardCharsets.UTF_8), label, random);
            yaml.append("    ").append(yamlKey(entry.getKey())).append(": ")
                    .append(Base64.getEncoder().encodeToString(sealed)).append('\n');
        }
        return yaml.append("  template:\n")
                .append("    metadata:\n")
                .append("      name: ").append(name).append('\n')
                .append("      namespace: ").append(namespace).append('\n')
                .append("    type: Opaque\n")
                .toString();
    }
}
