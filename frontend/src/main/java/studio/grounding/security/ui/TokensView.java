package studio.grounding.security.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import studio.grounding.security.ApiTokenInfo;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.IssuedToken;

/**
 * The signed-in user's API tokens: list, create (the secret is shown exactly once) and revoke. Tokens act
 * as their user on the REST API ({@code Authorization: Bearer ...}).
 */
@Route("tokens")
@PageTitle("API tokens · Grounding Studio")
@Menu(order = 50, icon = "vaadin:key", title = "API tokens")
@PermitAll
public class TokensView extends VerticalLayout {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ApiTokenService tokens;
    private final String username;
    private final Grid<ApiTokenInfo> grid = new Grid<>(ApiTokenInfo.class, false);
    private final TextField name = new TextField("New token");

    public TokensView(ApiTokenService tokens, CurrentUser currentUser) {
        this.tokens = tokens;
        this.username = currentUser.username();
        addClassName("tokens-view");
        setSizeFull();

        name.setPlaceholder("What it is for, e.g. export script");
        name.setId("token-name");
        name.setMaxLength(100);
        name.setWidth("22rem");
        Button create = new Button("Create token", e -> create());
        create.setId("create-token");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, create);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);

        grid.setId("tokens");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(ApiTokenInfo::name).setHeader("Name").setFlexGrow(2).setKey("name");
        grid.addColumn(t -> t.prefix() + "…").setHeader("Token").setAutoWidth(true).setKey("prefix");
        grid.addColumn(t -> time(t.createdAt())).setHeader("Created").setAutoWidth(true).setKey("created");
        grid.addColumn(t -> t.lastUsedAt() == null ? "never" : time(t.lastUsedAt())).setHeader("Last used")
                .setAutoWidth(true).setKey("lastUsed");
        grid.addComponentColumn(this::stateOrRevoke).setHeader("").setAutoWidth(true).setKey("actions");
        grid.setEmptyStateText("You have no API tokens.");
        grid.setSizeFull();

        Paragraph help = new Paragraph("Tokens let scripts use the REST API as you: send them as "
                + "\"Authorization: Bearer <token>\". Revoke a token you no longer need.");
        help.addClassName("help-text");
        add(new H2("API tokens"), help, form, grid);
        refresh();
    }

    private void create() {
        String tokenName = name.getValue() == null ? "" : name.getValue().strip();
        if (tokenName.isEmpty()) {
            name.setInvalid(true);
            name.setErrorMessage("Give the token a name");
            return;
        }
        name.setInvalid(false);
        try {
            IssuedToken issued = tokens.issue(username, tokenName);
            name.clear();
            refresh();
            new NewTokenDialog(issued).open();
        } catch (IllegalArgumentException | IllegalStateException e) {
            name.setInvalid(true);
            name.setErrorMessage(e.getMessage());
        }
    }

    private com.vaadin.flow.component.Component stateOrRevoke(ApiTokenInfo token) {
        if (token.revokedAt() != null) {
            Span revoked = new Span("Revoked " + time(token.revokedAt()));
            revoked.addClassName("token-revoked");
            return revoked;
        }
        Button revoke = new Button("Revoke", e -> confirmRevoke(token));
        revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        return revoke;
    }

    private void confirmRevoke(ApiTokenInfo token) {
        ConfirmDialog confirm = new ConfirmDialog("Revoke \"" + token.name() + "\"?",
                "Scripts using this token will stop working at once. This cannot be undone.",
                "Revoke", e -> revoke(token));
        confirm.setConfirmButtonTheme("error primary");
        confirm.setCancelable(true);
        confirm.open();
    }

    void revoke(ApiTokenInfo token) {
        try {
            tokens.revoke(username, token.id());
        } catch (RuntimeException e) {
            refresh();
            Notification.show("Could not revoke the token: " + e.getMessage(), 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
            return;
        }
        refresh();
        Notification.show("Token \"" + token.name() + "\" revoked", 3000, Notification.Position.BOTTOM_START)
                .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }

    private void refresh() {
        grid.setItems(tokens.list(username));
    }

    private static String time(OffsetDateTime time) {
        return time == null ? "" : TIME.format(time);
    }
}
