package studio.grounding.annotation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Strict JSON reading and writing of {@link EditorDocument}: exact fields, exact types, field paths in errors. */
final class EditorDocumentJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> DOCUMENT_FIELDS = Set.of("caption", "phrases", "unlinkedMasks", "accepted");
    private static final Set<String> PHRASE_FIELDS = Set.of("id", "start", "end", "text", "flagged", "masks");
    private static final Set<String> MASK_FIELDS = Set.of("id", "size", "counts");

    private EditorDocumentJson() {
    }

    static EditorDocument read(String json, DocumentLimits limits) {
        if (json == null || json.isBlank()) {
            throw new InvalidDocumentException("document", "is empty");
        }
        requireWithin(json, limits);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidDocumentException("document", "not valid JSON: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        EditorDocument document = document(root, problems);
        if (!problems.isEmpty()) {
            throw new InvalidDocumentException(problems);
        }
        return document;
    }

    /**
     * Counts phrases and masks with a streaming parser, in constant memory, before the document is read into a
     * tree: a document over the limits is refused naming the field and the setting. Malformed JSON is left to the
     * tree reader, which names the problem.
     */
    private static void requireWithin(String json, DocumentLimits limits) {
        int phrases = 0;
        int masks = 0;
        // per open container: the name it was opened under ("[]" for an array element, "" for the root)
        ArrayDeque<String> names = new ArrayDeque<>();
        ArrayDeque<Boolean> arrays = new ArrayDeque<>();
        String property = "";
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.PROPERTY_NAME) {
                    property = parser.currentName();
                } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    boolean inArray = !arrays.isEmpty() && arrays.peek();
                    String parent = names.isEmpty() ? null : names.peek();
                    if (token == JsonToken.START_OBJECT && inArray && names.size() == 2 && "phrases".equals(parent)
                            && ++phrases > limits.maxPhrases()) {
                        throw new InvalidDocumentException("phrases", "more than " + limits.maxPhrases()
                                + " phrases in one document (setting studio.editing.max-phrases)");
                    }
                    if (token == JsonToken.START_OBJECT && inArray
                            && ("masks".equals(parent) || "unlinkedMasks".equals(parent)) && ++masks > limits.maxMasks()) {
                        throw new InvalidDocumentException("masks", "more than " + limits.maxMasks()
                                + " masks in one document, the phrases' and the unlinked ones together (setting "
                                + "studio.editing.max-masks)");
                    }
                    names.push(names.isEmpty() ? "" : inArray ? "[]" : property);
                    arrays.push(token == JsonToken.START_ARRAY);
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    names.pop();
                    arrays.pop();
                }
            }
        } catch (JacksonException e) {
            // malformed JSON: read() reports it with the parser's message
        }
    }

    static String write(EditorDocument document) {
        ObjectNode root = JSON.createObjectNode();
        root.put("caption", document.caption());
        ArrayNode phrases = root.putArray("phrases");
        ElementKeys keys = document.keys();
        int mask = 0;
        for (int i = 0; i < document.phrases().size(); i++) {
            EditorDocument.Phrase p = document.phrases().get(i);
            ObjectNode phrase = phrases.addObject();
            phrase.put("id", keys.phrases().get(i));
            phrase.put("start", p.start());
            phrase.put("end", p.end());
            phrase.put("text", p.text());
            phrase.put("flagged", p.flagged());
            mask = writeMasks(phrase.putArray("masks"), p.masks(), keys, mask);
        }
        writeMasks(root.putArray("unlinkedMasks"), document.unlinkedMasks(), keys, mask);
        ArrayNode accepted = root.putArray("accepted");
        document.accepted().forEach(accepted::add);
        return JSON.writeValueAsString(root);
    }

    /** Writes the masks with their keys from {@code keys.masks()} at {@code first}; returns the next position. */
    private static int writeMasks(ArrayNode out, List<EditorDocument.Mask> masks, ElementKeys keys, int first) {
        int k = first;
        for (EditorDocument.Mask m : masks) {
            ObjectNode mask = out.addObject();
            mask.put("id", keys.masks().get(k++));
            mask.putArray("size").add(m.height()).add(m.width());
            mask.put("counts", m.counts());
        }
        return k;
    }

    private static EditorDocument document(JsonNode root, List<String> problems) {
        if (!root.isObject()) {
            problems.add("document: must be a JSON object");
            return null;
        }
        fields(root, "", DOCUMENT_FIELDS, problems);
        String caption = string(root, "caption", "caption", problems);
        List<EditorDocument.Phrase> phrases = new ArrayList<>();
        JsonNode phrasesNode = array(root, "phrases", "phrases", problems);
        if (phrasesNode != null) {
            for (int i = 0; i < phrasesNode.size(); i++) {
                EditorDocument.Phrase p = phrase(phrasesNode.get(i), "phrases[" + i + "]", problems);
                if (p != null) {
                    phrases.add(p);
                }
            }
        }
        List<EditorDocument.Mask> unlinked = masks(root, "unlinkedMasks", "unlinkedMasks", problems);
        List<String> accepted = new ArrayList<>();
        JsonNode acceptedNode = array(root, "accepted", "accepted", problems);
        if (acceptedNode != null) {
            for (int i = 0; i < acceptedNode.size(); i++) {
                JsonNode a = acceptedNode.get(i);
                if (!a.isString() || !a.stringValue().matches("(phrase:\\d+:(no-mask|text-deleted))|(mask:\\d+:unlinked)")) {
                    problems.add("accepted[" + i + "]: must be a problem like \"phrase:0:no-mask\" or \"mask:0:unlinked\"");
                } else {
                    accepted.add(a.stringValue());
                }
            }
        }
        ElementKeys keys = keys(root, phrases.size(), problems);
        if (!problems.isEmpty()) {
            return null;
        }
        return new EditorDocument(caption, phrases, unlinked, accepted, keys);
    }

    /**
     * The optional {@code id} of every phrase and mask: integers from 0, distinct among the phrases and among the
     * masks. None given: the positions are the keys. Some missing (a client added a phrase or mask): those get the
     * next free numbers, in document order.
     */
    private static ElementKeys keys(JsonNode root, int phraseCount, List<String> problems) {
        List<String> phraseFields = new ArrayList<>();
        List<JsonNode> phraseIds = new ArrayList<>();
        List<String> maskFields = new ArrayList<>();
        List<JsonNode> maskIds = new ArrayList<>();
        JsonNode phrases = root.get("phrases");
        if (phrases != null && phrases.isArray()) {
            for (int i = 0; i < phrases.size(); i++) {
                phraseFields.add("phrases[" + i + "].id");
                phraseIds.add(phrases.get(i).get("id"));
                JsonNode masks = phrases.get(i).get("masks");
                for (int j = 0; masks != null && masks.isArray() && j < masks.size(); j++) {
                    maskFields.add("phrases[" + i + "].masks[" + j + "].id");
                    maskIds.add(masks.get(j).get("id"));
                }
            }
        }
        JsonNode unlinked = root.get("unlinkedMasks");
        for (int j = 0; unlinked != null && unlinked.isArray() && j < unlinked.size(); j++) {
            maskFields.add("unlinkedMasks[" + j + "].id");
            maskIds.add(unlinked.get(j).get("id"));
        }
        List<Integer> phraseKeys = ids(phraseFields, phraseIds, "phrase", problems);
        List<Integer> maskKeys = ids(maskFields, maskIds, "mask", problems);
        if (phraseKeys == null && maskKeys == null || !problems.isEmpty() || phraseFields.size() != phraseCount) {
            return null;
        }
        return new ElementKeys(phraseKeys == null ? ElementKeys.byPosition(phraseFields.size(), 0).phrases() : phraseKeys,
                maskKeys == null ? ElementKeys.byPosition(0, maskFields.size()).masks() : maskKeys);
    }

    /** The ids, null when none is given; a problem for a malformed or repeated one; missing ones numbered on. */
    private static List<Integer> ids(List<String> fields, List<JsonNode> ids, String what, List<String> problems) {
        if (ids.stream().allMatch(java.util.Objects::isNull)) {
            return null;
        }
        List<Integer> keys = new ArrayList<>();
        java.util.Map<Integer, String> seen = new java.util.HashMap<>();
        int next = ids.stream().filter(id -> id != null && id.isInt()).mapToInt(JsonNode::intValue).max().orElse(-1) + 1;
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (id == null) {
                keys.add(next++);
            } else if (!id.isInt() || id.intValue() < 0) {
                problems.add(fields.get(i) + ": must be an integer from 0");
            } else if (seen.containsKey(id.intValue())) {
                problems.add(fields.get(i) + ": " + id.intValue() + " is also the id of " + seen.get(id.intValue()));
            } else {
                seen.put(id.intValue(), fields.get(i).substring(0, fields.get(i).length() - 3));
                keys.add(id.intValue());
            }
        }
        return keys;
    }

    private static EditorDocument.Phrase phrase(JsonNode node, String field, List<String> problems) {
        if (!node.isObject()) {
            problems.add(field + ": must be an object");
            return null;
        }
        int before = problems.size();
        fields(node, field + ".", PHRASE_FIELDS, problems);
        Integer start = integer(node, "start", field + ".start", problems);
        Integer end = integer(node, "end", field + ".end", problems);
        String text = string(node, "text", field + ".text", problems);
        JsonNode flagged = node.get("flagged");
        if (flagged == null) {
            problems.add(field + ".flagged: missing");
        } else if (!flagged.isBoolean()) {
            problems.add(field + ".flagged: must be true or false");
        }
        List<EditorDocument.Mask> masks = masks(node, "masks", field + ".masks", problems);
        if (problems.size() > before) {
            return null;
        }
        return new EditorDocument.Phrase(start, end, text, masks, flagged.booleanValue());
    }

    private static List<EditorDocument.Mask> masks(JsonNode parent, String name, String field, List<String> problems) {
        List<EditorDocument.Mask> masks = new ArrayList<>();
        JsonNode array = array(parent, name, field, problems);
        if (array == null) {
            return masks;
        }
        for (int j = 0; j < array.size(); j++) {
            EditorDocument.Mask m = mask(array.get(j), field + "[" + j + "]", problems);
            if (m != null) {
                masks.add(m);
            }
        }
        return masks;
    }

    private static EditorDocument.Mask mask(JsonNode node, String field, List<String> problems) {
        if (!node.isObject()) {
            problems.add(field + ": must be an object");
            return null;
        }
        int before = problems.size();
        fields(node, field + ".", MASK_FIELDS, problems);
        JsonNode size = node.get("size");
        int height = 0;
        int width = 0;
        if (size == null) {
            problems.add(field + ".size: missing");
        } else if (!size.isArray() || size.size() != 2 || !size.get(0).isInt() || !size.get(1).isInt()
                || size.get(0).intValue() <= 0 || size.get(1).intValue() <= 0) {
            problems.add(field + ".size: must be [height, width] with two positive integers");
        } else {
            height = size.get(0).intValue();
            width = size.get(1).intValue();
        }
        String counts = string(node, "counts", field + ".counts", problems);
        if (problems.size() > before) {
            return null;
        }
        return new EditorDocument.Mask(height, width, counts);
    }

    private static void fields(JsonNode node, String prefix, Set<String> allowed, List<String> problems) {
        Set<String> unknown = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                unknown.add(e.getKey());
            }
        }
        unknown.forEach(name -> problems.add(prefix + name + ": unknown field"));
    }

    private static String string(JsonNode parent, String name, String field, List<String> problems) {
        JsonNode n = parent.get(name);
        if (n == null) {
            problems.add(field + ": missing");
            return null;
        }
        if (!n.isString()) {
            problems.add(field + ": must be a string");
            return null;
        }
        return n.stringValue();
    }

    private static Integer integer(JsonNode parent, String name, String field, List<String> problems) {
        JsonNode n = parent.get(name);
        if (n == null) {
            problems.add(field + ": missing");
            return null;
        }
        if (!n.isInt()) {
            problems.add(field + ": must be an integer");
            return null;
        }
        return n.intValue();
    }

    private static JsonNode array(JsonNode parent, String name, String field, List<String> problems) {
        JsonNode n = parent.get(name);
        if (n == null) {
            problems.add(field + ": missing");
            return null;
        }
        if (!n.isArray()) {
            problems.add(field + ": must be an array");
            return null;
        }
        return n;
    }
}
