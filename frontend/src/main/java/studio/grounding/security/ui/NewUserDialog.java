package studio.grounding.security.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import studio.grounding.security.PasswordPolicy;
import studio.grounding.security.Role;
import studio.grounding.security.UserAccount;
import studio.grounding.security.UserService;
import studio.grounding.security.WeakPasswordException;

/**
 * Creates a user account with its roles; problems are shown in the form at the field they concern: a taken or
 * invalid name at the user name, each problem of a weak password (the backend's {@link PasswordPolicy}) at the
 * password, once.
 */
class NewUserDialog extends Dialog {

    private static final String PASSWORD_RULE =
            "At least " + PasswordPolicy.MIN_LENGTH + " characters, not a common or trivial password";

    private final UserService users;
    private final Consumer<UserAccount> onCreated;
    private final TextField username = new TextField("User name");
    private final TextField displayName = new TextField("Name");
    private final PasswordField password = new PasswordField("Password");
    private final CheckboxGroup<Role> roles = new CheckboxGroup<>("Roles");

    NewUserDialog(UserService users, Consumer<UserAccount> onCreated) {
        this.users = users;
        this.onCreated = onCreated;
        setHeaderTitle("New user");
        addClassName("new-user-dialog");
        setWidth("30rem");

        username.setId("new-username");
        username.setRequired(true);
        displayName.setId("new-display-name");
        password.setId("new-password");
        password.setRequired(true);
        password.setHelperText(PASSWORD_RULE);
        roles.setId("new-roles");
        roles.setItems(Role.values());
        roles.setValue(EnumSet.of(Role.ANNOTATOR));
        roles.setHelperText("ADMIN > CURATOR > REVIEWER > ANNOTATOR: a role includes those below it");

        FormLayout form = new FormLayout(username, displayName, password, roles);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        add(form);

        Button cancel = new Button("Cancel", e -> close());
        Button create = new Button("Create", e -> create());
        create.setId("create-user");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(cancel, create);
    }

    private void create() {
        boolean valid = true;
        String name = username.getValue().strip();
        username.setInvalid(name.isEmpty());
        username.setErrorMessage("A user name is needed");
        valid &= !name.isEmpty();
        List<String> passwordProblems = PasswordPolicy.problems(password.getValue(), name);
        showPasswordProblems(passwordProblems);
        valid &= passwordProblems.isEmpty();
        roles.setInvalid(roles.getValue().isEmpty());
        roles.setErrorMessage("Choose at least one role");
        valid &= !roles.getValue().isEmpty();
        if (!valid) {
            return;
        }
        try {
            UserAccount created = users.create(name, displayName.getValue().strip(), password.getValue(),
                    EnumSet.copyOf(roles.getValue()));
            close();
            onCreated.accept(created);
        } catch (WeakPasswordException e) {
            showPasswordProblems(e.problems());
        } catch (IllegalArgumentException e) {
            username.setInvalid(true);
            username.setErrorMessage(e.getMessage());
        }
    }

    /**
     * Marks the password field invalid with its problems, or valid again for none. The helper text says the rule
     * only while the field is valid: an invalid field shows its problems once, not the rule as well (issue 14).
     */
    private void showPasswordProblems(List<String> problems) {
        password.setInvalid(!problems.isEmpty());
        password.setErrorMessage(String.join(" ", problems));
        password.setHelperText(problems.isEmpty() ? PASSWORD_RULE : null);
    }
}
