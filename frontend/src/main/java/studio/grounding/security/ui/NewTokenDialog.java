package studio.grounding.security.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import studio.grounding.security.IssuedToken;

/**
 * Shows a newly issued token's secret, the only time it is ever shown: only a hash of it is stored. With a
 * copy-to-clipboard button and a warning to that effect.
 */
class NewTokenDialog extends Dialog {

    NewTokenDialog(IssuedToken issued) {
        setHeaderTitle("Token \"" + issued.info().name() + "\" created");
        setCloseOnOutsideClick(false);
        setWidth("36rem");
        addClassName("new-token-dialog");

        Paragraph warning = new Paragraph("Copy the token now. It will not be shown again: "
                + "if you lose it, revoke it and create a new one.");
        warning.addClassName("token-warning");

        TextField secret = new TextField();
        secret.setId("token-plaintext");
        secret.setValue(issued.plaintext());
        secret.setReadOnly(true);
        secret.setWidthFull();
        secret.addClassName("token-secret");

        Button copy = new Button("Copy", VaadinIcon.COPY.create(), e -> {
            secret.getElement().executeJs("navigator.clipboard && navigator.clipboard.writeText($0)",
                    issued.plaintext());
            Notification.show("Copied to the clipboard", 2000, Notification.Position.BOTTOM_START);
        });
        copy.setId("copy-token");
        HorizontalLayout row = new HorizontalLayout(secret, copy);
        row.setWidthFull();
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        row.expand(secret);

        add(warning, row);
        Button done = new Button("Done", e -> close());
        done.setId("token-done");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(done);
    }
}
