package studio.grounding.annotation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The editor's document: what the browser edits and what a draft stores. Unlike a {@link GroundedCaption} it can
 * hold unfinished work: a phrase whose text was deleted stays, flagged (start == end allowed then), and the
 * annotator's explicit acceptance of problems ("this phrase really has no mask") travels with it.
 *
 * <p>JSON form (browser and server, also the draft payload), {@code size} being COCO's {@code [height, width]}:
 * <pre>{"caption":"..","phrases":[{"start":0,"end":5,"text":"a dog","flagged":false,
 *   "masks":[{"size":[h,w],"counts":".."}]}],"unlinkedMasks":[{"size":[h,w],"counts":".."}],
 *   "accepted":["mask:0:unlinked"]}</pre>
 *
 * @param caption       the caption text
 * @param phrases       the phrases with their masks
 * @param unlinkedMasks masks that belong to no phrase
 * @param accepted      problems the annotator accepted, in the form of {@link #problems()}
 * @param keys          the stable keys of the phrases and masks ({@link ElementKeys}; JSON: an optional {@code id}
 *                      on every phrase and mask); positions when none are given
 */
public record EditorDocument(String caption, List<Phrase> phrases, List<Mask> unlinkedMasks, List<String> accepted,
                             ElementKeys keys) {

    /** A phrase: the span {@code [start, end)} of the caption, its text and masks; flagged when its text was deleted. */
    public record Phrase(int start, int end, String text, List<Mask> masks, boolean flagged) {
        public Phrase {
            Objects.requireNonNull(text, "text");
            masks = List.copyOf(masks);
        }
    }

    /** A mask in COCO compressed RLE of an image {@code height} x {@code width}. */
    public record Mask(int height, int width, String counts) {
        public Mask {
            Objects.requireNonNull(counts, "counts");
        }

        static Mask of(MaskRle rle) {
            return new Mask(rle.height(), rle.width(), rle.counts());
        }

        MaskRle toRle() {
            return new MaskRle(height, width, counts);
        }
    }

    public EditorDocument {
        Objects.requireNonNull(caption, "caption");
        phrases = List.copyOf(phrases);
        unlinkedMasks = List.copyOf(unlinkedMasks);
        accepted = List.copyOf(accepted);
        int masks = unlinkedMasks.size() + phrases.stream().mapToInt(p -> p.masks().size()).sum();
        if (keys == null) {
            keys = ElementKeys.byPosition(phrases.size(), masks);
        } else if (keys.phrases().size() != phrases.size() || keys.masks().size() != masks) {
            throw new IllegalArgumentException("keys: " + keys.phrases().size() + " phrase and " + keys.masks().size()
                    + " mask keys for " + phrases.size() + " phrases and " + masks + " masks");
        }
    }

    /** A document whose phrases and masks are keyed by their positions. */
    public EditorDocument(String caption, List<Phrase> phrases, List<Mask> unlinkedMasks, List<String> accepted) {
        this(caption, phrases, unlinkedMasks, accepted, null);
    }

    /** The document of a stored caption: no flags, no accepted problems, keys by position. */
    public static EditorDocument of(GroundedCaption caption) {
        return of(caption, null);
    }

    /** The document of a revision, with its phrases' and masks' stable keys. */
    public static EditorDocument of(Revision revision) {
        return of(revision.caption(), revision.keys());
    }

    private static EditorDocument of(GroundedCaption caption, ElementKeys keys) {
        List<Phrase> phrases = caption.phrases().stream()
                .map(p -> new Phrase(p.start(), p.end(), p.text(), p.masks().stream().map(Mask::of).toList(), false))
                .toList();
        return new EditorDocument(caption.caption(), phrases, caption.unlinkedMasks().stream().map(Mask::of).toList(),
                List.of(), keys);
    }

    /**
     * Reads and checks a document, within {@link DocumentLimits#DEFAULT}: exactly the fields above (none missing, none unknown), sizes positive, spans in
     * the caption and matching their text unless flagged, every mask well-formed RLE of its size.
     *
     * @throws InvalidDocumentException naming the field and what is wrong, e.g.
     *                                  {@code phrases[2].masks[0].counts: malformed RLE ...}
     */
    public static EditorDocument fromJson(String json) {
        return fromJson(json, DocumentLimits.DEFAULT);
    }

    /**
     * {@link #fromJson(String)} with these limits on phrases and masks, checked before the document is read into
     * memory.
     *
     * @throws InvalidDocumentException naming {@code phrases} or {@code masks} when the document has more than the
     *                                  limits allow, or as {@link #fromJson(String)}
     */
    public static EditorDocument fromJson(String json, DocumentLimits limits) {
        EditorDocument document = EditorDocumentJson.read(json, limits);
        List<String> problems = EditorDocumentChecks.check(document, null);
        if (!problems.isEmpty()) {
            throw new InvalidDocumentException(problems);
        }
        return document;
    }

    /** This document as JSON, in the form {@link #fromJson} reads. */
    public String toJson() {
        return EditorDocumentJson.write(this);
    }

    /**
     * The grounded caption to store when this document is submitted.
     *
     * @throws InvalidDocumentException if a phrase is flagged (its text was deleted: it must be fixed or removed)
     */
    public GroundedCaption toCaption() {
        List<String> flagged = new ArrayList<>();
        List<PhraseSpan> spans = new ArrayList<>();
        for (int i = 0; i < phrases.size(); i++) {
            Phrase p = phrases.get(i);
            if (p.flagged()) {
                flagged.add("phrases[" + i + "]: the text of phrase \"" + p.text() + "\" was deleted");
            }
            spans.add(new PhraseSpan(p.start(), p.end(), p.text(), p.masks().stream().map(Mask::toRle).toList()));
        }
        if (!flagged.isEmpty()) {
            throw new InvalidDocumentException(flagged);
        }
        return new GroundedCaption(caption, spans, unlinkedMasks.stream().map(Mask::toRle).toList());
    }

    /**
     * What must be resolved or accepted before a submit: {@code phrase:<i>:no-mask}, {@code phrase:<i>:text-deleted}
     * (a flagged phrase) and {@code mask:<j>:unlinked} (index into {@link #unlinkedMasks}).
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < phrases.size(); i++) {
            Phrase p = phrases.get(i);
            if (p.flagged()) {
                problems.add("phrase:" + i + ":text-deleted");
            } else if (p.masks().isEmpty()) {
                problems.add("phrase:" + i + ":no-mask");
            }
        }
        for (int j = 0; j < unlinkedMasks.size(); j++) {
            problems.add("mask:" + j + ":unlinked");
        }
        return problems;
    }

    /** The problems not in {@link #accepted}; a deleted phrase text can never be accepted. */
    public List<String> unresolvedProblems() {
        return problems().stream()
                .filter(p -> p.endsWith(":text-deleted") || !accepted.contains(p))
                .toList();
    }
}
