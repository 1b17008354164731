/**
 * UI of the annotation feature: {@link studio.grounding.annotation.ui.MaskCanvas} (the read-only browser-side mask
 * renderer), the editor {@link studio.grounding.annotation.ui.EditorView} with its element wrapper
 * {@link studio.grounding.annotation.ui.MaskEditor}, and {@link studio.grounding.annotation.ui.ItemNavigator} (what
 * D / A lead to). Exposed as the named interface {@code ui}, so views of other features (dataset, review), which
 * depend on annotation, may place these components, link to the editor or provide a navigator without breaking the
 * feature boundaries.
 */
@NamedInterface("ui")
package studio.grounding.annotation.ui;

import org.springframework.modulith.NamedInterface;
