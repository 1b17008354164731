/**
 * UI components of the annotation feature that other features' views use: {@link studio.grounding.annotation.ui.MaskCanvas}
 * (the browser-side mask renderer). Exposed as the named interface {@code ui}, so a view of the dataset feature
 * (which already depends on annotation) may place it without breaking the feature boundaries.
 */
@NamedInterface("ui")
package studio.grounding.annotation.ui;

import org.springframework.modulith.NamedInterface;
