/**
 * Rules for text the platform stores (captions, phrase texts, comments, names): no control characters that
 * PostgreSQL cannot store or that no caption legitimately holds, and character offsets that never cut a UTF-16
 * surrogate pair. Pure Java, no Spring; the entry point is {@link studio.grounding.text.StoredText}.
 */
package studio.grounding.text;
