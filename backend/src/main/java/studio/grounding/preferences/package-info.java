/**
 * Per-user preferences ({@link studio.grounding.preferences.PreferencesService}): small JSON objects by user and
 * name, such as the editor's own key bindings. Owns the {@code user_preferences} table.
 */
package studio.grounding.preferences;
