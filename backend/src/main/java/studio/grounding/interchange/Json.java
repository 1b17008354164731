package studio.grounding.interchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Shared Jackson setup and the streaming loop over a top-level JSON array. */
final class Json {

    /** Reads one record subtree at a time from a parser that goes on (hence no trailing-token check). */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private Json() {
    }

    /** File name used in problems: the last path element. */
    static String displayName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    /**
     * Streams the elements of a top-level JSON array, one subtree at a time, to {@code each} (index, element).
     * A syntax error (or truncation) is reported to {@code sink} with its position and ends the loop; elements
     * before it have been handed over. Exceptions from {@code each} propagate.
     */
    static void forEachArrayElement(Path file, RecordSink sink, BiConsumer<Long, JsonNode> each) throws IOException {
        String name = displayName(file);
        try (InputStream in = Files.newInputStream(file)) {
            JsonParser p;
            long index = 0;
            try {
                p = MAPPER.createParser(in);
                JsonToken first = p.nextToken();
                if (first != JsonToken.START_ARRAY) {
                    sink.problem(new ImportProblem(name, -1, "$", first == null
                            ? "the file is empty" : "expected a JSON array of records, found " + describe(first)));
                    return;
                }
            } catch (JacksonException e) {
                sink.problem(ImportProblem.syntax(name, -1, e));
                return;
            }
            while (true) {
                JsonNode node;
                try {
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        JsonToken after = p.nextToken();
                        if (after != null) {
                            sink.problem(new ImportProblem(name, -1, "$",
                                    "unexpected content after the end of the array: " + describe(after)));
                        }
                        return;
                    }
                    Element element = readElement(p);
                    if (element.repeatedKeyField() != null) {
                        sink.problem(new ImportProblem(name, index++, element.repeatedKeyField(), REPEATED_KEY));
                        continue;
                    }
                    node = element.node();
                } catch (JacksonException e) {
                    sink.problem(ImportProblem.syntax(name, index, e));
                    return;
                }
                each.accept(index++, node);
            }
        }
    }

    static final String REPEATED_KEY = "the key appears more than once in its object; JSON readers (GLaMM's loaders"
            + " too) silently keep only the last value, so the record is ambiguous and not imported";

    /**
     * One array element read as a tree, or, when the element repeats a key inside an object (which a tree cannot hold
     * without silently dropping a value), the path of that key with the element skipped.
     */
    record Element(JsonNode node, String repeatedKeyField) {
    }

    /**
     * Reads the element whose first token is current, as a tree. A repeated key is not a syntax error: the rest of
     * the element is skipped and the parser left after it, so the caller can go on with the next element.
     *
     * @throws JacksonException on a syntax error (the stream cannot be continued)
     */
    static Element readElement(JsonParser p) {
        // depth of the container holding the element (a started object or array is already its own context)
        int depth = p.streamReadContext().getNestingDepth();
        if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
            depth--;
        }
        try {
            return new Element(MAPPER.readTree(p), null);
        } catch (tools.jackson.databind.DatabindException e) {
            String field = fieldPath(p.streamReadContext().pathAsPointer(), depth);
            while (p.streamReadContext().getNestingDepth() > depth) {
                if (p.nextToken() == null) {
                    break;
                }
            }
            return new Element(null, field);
        }
    }

    /** {@code /0/groundings/a man} below an element at {@code depth} becomes {@code groundings.a man}. */
    private static String fieldPath(tools.jackson.core.JsonPointer pointer, int depth) {
        StringBuilder field = new StringBuilder();
        tools.jackson.core.JsonPointer ptr = pointer;
        int level = 0;
        while (ptr != null && !ptr.matches()) {
            if (level++ >= depth) {
                if (ptr.mayMatchElement() && !ptr.mayMatchProperty()) {
                    field.append('[').append(ptr.getMatchingIndex()).append(']');
                } else {
                    field.append(field.isEmpty() ? "" : ".").append(ptr.getMatchingProperty());
                }
            }
            ptr = ptr.tail();
        }
        return field.isEmpty() ? "$" : field.toString();
    }

    static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isString()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "the number " + n.asString();
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNull()) {
            return "null";
        }
        return n.getNodeType().toString();
    }

    /**
     * Reads the single JSON value stored in bytes {@code [byteOffset, byteOffset + length)} of an open file (used by
     * {@link CocoIndex}); a positional read of exactly those bytes.
     */
    static JsonNode readValueAt(FileChannel channel, long byteOffset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, byteOffset + buffer.position()) < 0) {
                    throw new java.io.EOFException("file shrank while it was being read");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (JsonParser p = MAPPER.createParser(buffer.array())) {
            p.nextToken();
            return MAPPER.readTree(p);
        }
    }
}
