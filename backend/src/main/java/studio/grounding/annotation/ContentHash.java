package studio.grounding.annotation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 over a canonical form of a grounded caption: equal hashes mean the same caption, spans and masks. */
final class ContentHash {

    private ContentHash() {
    }

    static String of(GroundedCaption caption) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder canonical = new StringBuilder();
        canonical.append(caption.caption().length()).append(':').append(caption.caption()).append('\n');
        for (PhraseSpan p : caption.phrases()) {
            canonical.append("P ").append(p.start()).append(' ').append(p.end()).append(' ')
                    .append(p.text().length()).append(':').append(p.text()).append('\n');
            p.masks().forEach(m -> mask(canonical, m));
        }
        canonical.append("U\n");
        caption.unlinkedMasks().forEach(m -> mask(canonical, m));
        return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void mask(StringBuilder out, MaskRle m) {
        out.append("M ").append(m.height()).append(' ').append(m.width()).append(' ').append(m.counts()).append('\n');
    }
}
