package studio.grounding.security.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.IssuedToken;
import studio.grounding.security.Role;
import studio.grounding.security.UserAccount;
import studio.grounding.security.UserService;

/**
 * User administration (ADMIN only): the accounts with their roles, new accounts, enabling and disabling, and tokens
 * for worker accounts (only role WORKER), so that nobody signs in as an inference worker.
 */
@Route("users")
@PageTitle("Users · Grounding Studio")
@Menu(order = 90, icon = "vaadin:users", title = "Users")
@RolesAllowed("ADMIN")
public class UsersView extends VerticalLayout {

    private final UserService users;
    private final ApiTokenService tokens;
    private final String me;
    private final Grid<UserAccount> grid = new Grid<>(UserAccount.class, false);

    public UsersView(UserService users, ApiTokenService tokens, CurrentUser currentUser) {
        this.users = users;
        this.tokens = tokens;
        this.me = currentUser.username();
        addClassName("users-view");
        setSizeFull();

        Button newUser = new Button("New user", VaadinIcon.PLUS.create(),
                e -> new NewUserDialog(users, created -> {
                    refresh();
                    Notification.show("User " + created.username() + " created", 3000,
                            Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                }).open());
        newUser.setId("new-user");
        newUser.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout header = new HorizontalLayout(new H2("Users"), newUser);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.setJustifyContentMode(FlexComponent.JustifyContentMode.BETWEEN);

        grid.setId("users");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(UserAccount::username).setHeader("User name").setFlexGrow(1).setKey("username");
        grid.addColumn(UserAccount::displayName).setHeader("Name").setFlexGrow(2).setKey("displayName");
        grid.addColumn(UsersView::roles).setHeader("Roles").setFlexGrow(2).setKey("roles");
        grid.addComponentColumn(UsersView::state).setHeader("Status").setAutoWidth(true).setKey("state");
        grid.addColumn(u -> u.createdAt() == null ? "" : TokensView.TIME.format(u.createdAt())).setHeader("Created")
                .setAutoWidth(true).setKey("created");
        grid.addComponentColumn(this::toggle).setHeader("").setAutoWidth(true).setKey("actions");
        grid.addComponentColumn(this::workerToken).setHeader("").setAutoWidth(true).setKey("workerToken");
        grid.setSizeFull();

        add(header, grid);
        refresh();
    }

    private static String roles(UserAccount user) {
        return Arrays.stream(Role.values()).filter(user.roles()::contains).map(Role::name)
                .collect(Collectors.joining(", "));
    }

    private static Component state(UserAccount user) {
        Span state = new Span(user.enabled() ? "Active" : "Disabled");
        state.addClassNames("user-state", user.enabled() ? "user-enabled" : "user-disabled");
        return state;
    }

    private Component toggle(UserAccount user) {
        Button button = new Button(user.enabled() ? "Disable" : "Enable", e -> setEnabled(user, !user.enabled()));
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        if (user.enabled()) {
            button.addThemeVariants(ButtonVariant.LUMO_ERROR);
        }
        if (user.username().equals(me)) {
            button.setEnabled(false);
            button.setTooltipText("You cannot disable your own account");
        }
        return button;
    }

    /** For a worker account: issue a token (shown once), named after the admin and the day. */
    private Component workerToken(UserAccount user) {
        if (!user.roles().equals(Set.of(Role.WORKER))) {
            return new Span();
        }
        Button button = new Button("Issue worker token", VaadinIcon.KEY.create(), e -> issueWorkerToken(user));
        button.setId("issue-token-" + user.username());
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        button.setEnabled(user.enabled());
        return button;
    }

    void issueWorkerToken(UserAccount user) {
        try {
            IssuedToken issued = tokens.issueForWorker(user.username(), "issued by " + me + " on " + LocalDate.now(), me);
            new NewTokenDialog(issued).open();
        } catch (IllegalStateException | IllegalArgumentException e) {
            Notification.show(e.getMessage(), 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    void setEnabled(UserAccount user, boolean enabled) {
        try {
            users.setEnabled(user.username(), enabled);
        } catch (IllegalStateException | IllegalArgumentException e) {
            Notification.show(e.getMessage(), 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        refresh();
    }

    private void refresh() {
        grid.setItems(users.list());
    }
}
