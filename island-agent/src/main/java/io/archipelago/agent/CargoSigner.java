package io.archipelago.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The publisher's side of Cargo signatures: makes an Ed25519 key pair and signs a Cargo's manifest over its content
 * digest. {@code keygen} prints the private key (keep it) and the public key (Islands pin it with
 * {@code --trust PUBLISHER=KEY}); {@code sign} writes {@code <content>.cargo.json} beside the content.
 */
public final class CargoSigner {

    private CargoSigner() {
    }

    /** A fresh Ed25519 key pair. */
    public static KeyPair keyPair() throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** Base64 of the public key's X.509 encoding: what an Island pins. */
    public static String publicKey(KeyPair keys) {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** Signs the Cargo whose content is {@code contentFile} and writes its manifest beside it; returns the path. */
    public static Path sign(Path contentFile, String cargo, String version, String kind, String publisher,
                            PrivateKey key) throws Exception {
        byte[] content = Files.readAllBytes(contentFile);
        CargoManifest unsigned = new CargoManifest(cargo, version, kind, publisher,
                contentFile.getFileName().toString(), CargoVerifier.sha256(content), "");
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(key);
        ed25519.update(unsigned.signedBytes());
        CargoManifest signed = new CargoManifest(cargo, version, kind, publisher, unsigned.content(),
                unsigned.sha256(), Base64.getEncoder().encodeToString(ed25519.sign()));
        Path manifest = contentFile.resolveSibling(contentFile.getFileName() + ".cargo.json");
        signed.write(manifest);
        return manifest;
    }

    /**
     * {@code keygen}, or {@code sign CONTENT CARGO VERSION KIND PUBLISHER PRIVATE_KEY_BASE64}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("keygen")) {
            KeyPair keys = keyPair();
            System.out.println("private " + Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
            System.out.println("public  " + publicKey(keys));
            return;
        }
        if (args.length == 7 && args[0].equals("sign")) {
            PrivateKey key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(args[6])));
            System.out.println(sign(Path.of(args[1]), args[2], args[3], args[4], args[5], key));
            return;
        }
        System.err.println("usage: CargoSigner keygen | sign CONTENT CARGO VERSION KIND PUBLISHER PRIVATE_KEY_BASE64");
        System.exit(2);
    }
}
