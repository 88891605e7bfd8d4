-- An organisation's own e-mail templates (postgres). Kept in step with ../sqlite/20261207000025_message_templates.sql.
-- occasion: 'invitation', 'start_reminder' or 'finish_reminder'; language: 'en' or 'de'.
-- subject, body: the template with placeholders ({greeting}, {organisation},
-- {link} once in the body, {until}), checked by Vigil before it is saved.
-- Without a row, Vigil's own template is used.
CREATE TABLE message_templates (
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    occasion    TEXT NOT NULL,
    language    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT REFERENCES users(id),
    PRIMARY KEY (org_id, occasion, language)
);
