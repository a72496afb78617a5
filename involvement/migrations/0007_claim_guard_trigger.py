"""The database itself refuses to change a decided or paid claim (and, on PostgreSQL, to delete it).

The same rule as ``Claim.save`` / ``Claim.delete`` and the claim queryset (involvement/
models_payments.py), one layer further down, so that raw SQL, a bulk update by other code or a
mistaken cascade cannot alter money that has been approved or paid. A decided claim may only move
along the allowed steps: approved → in a batch → paid.

- PostgreSQL: one trigger for UPDATE and DELETE; it compares whole rows (``to_jsonb``), so a column
  added later is guarded too.
- SQLite (the embedded development database): an UPDATE trigger naming the columns. No DELETE
  trigger, because SQLite empties a test database with DELETE. Django rebuilds a SQLite table to
  alter it, which drops its triggers: a later migration that alters ``involvement_claim`` must
  create this trigger again (tests/involvement/test_payments_immutability.py fails until it does).
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION involvement_claim_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'submitted' THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = format('Claim %s is %s: it cannot be deleted.', OLD.id, OLD.status);
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'submitted' THEN
        RETURN NEW;
    END IF;
    IF (to_jsonb(NEW) - 'status' - 'batch_id' - 'paid_on')
        IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'batch_id' - 'paid_on') THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('Claim %s is %s: it cannot be changed.', OLD.id, OLD.status);
    END IF;
    IF NOT (
        (OLD.status = 'approved' AND NEW.status = 'approved'
            AND (OLD.batch_id IS NULL OR OLD.batch_id IS NOT DISTINCT FROM NEW.batch_id)
            AND NEW.paid_on IS NOT DISTINCT FROM OLD.paid_on)
        OR (OLD.status = 'approved' AND NEW.status = 'paid' AND NEW.batch_id IS NOT NULL
            AND (OLD.batch_id IS NULL OR OLD.batch_id = NEW.batch_id))
        OR (OLD.status = NEW.status AND OLD.status IN ('rejected', 'paid')
            AND NEW.batch_id IS NOT DISTINCT FROM OLD.batch_id
            AND NEW.paid_on IS NOT DISTINCT FROM OLD.paid_on)
    ) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('Claim %s is %s: it cannot become %s.', OLD.id, OLD.status,
                             NEW.status);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS involvement_claim_guard ON involvement_claim;
CREATE TRIGGER involvement_claim_guard
    BEFORE UPDATE OR DELETE ON involvement_claim
    FOR EACH ROW EXECUTE FUNCTION involvement_claim_guard();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS involvement_claim_guard ON involvement_claim;
DROP FUNCTION IF EXISTS involvement_claim_guard();
"""


# Every column but the three that move along the allowed steps (status, batch_id, paid_on).
FROZEN_COLUMNS = [
    "id",
    "person_id",
    "directorate_id",
    "date",
    "membership_id",
    "activity_id",
    "forum_meeting_id",
    "opportunity_id",
    "description",
    "rate_id",
    "rate_kind",
    "hours",
    "units",
    "unit_price",
    "fee",
    "expenses",
    "expenses_note",
    "amount",
    "payment_preference",
    "no_payment_reason",
    "reverses_id",
    "reason",
    "created_by_id",
    "created_at",
    "decided_by_id",
    "decided_at",
    "decision_reason",
]

SQLITE_GUARD = f"""
CREATE TRIGGER IF NOT EXISTS involvement_claim_guard
BEFORE UPDATE ON involvement_claim
FOR EACH ROW WHEN OLD.status <> 'submitted' AND (
    {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN_COLUMNS)}
    OR NOT (
        (OLD.status = 'approved' AND NEW.status = 'approved'
            AND (OLD.batch_id IS NULL OR OLD.batch_id IS NEW.batch_id)
            AND NEW.paid_on IS OLD.paid_on)
        OR (OLD.status = 'approved' AND NEW.status = 'paid' AND NEW.batch_id IS NOT NULL
            AND (OLD.batch_id IS NULL OR OLD.batch_id = NEW.batch_id))
        OR (OLD.status = NEW.status AND OLD.status IN ('rejected', 'paid')
            AND NEW.batch_id IS OLD.batch_id AND NEW.paid_on IS OLD.paid_on)
    )
)
BEGIN
    SELECT RAISE(ABORT, 'A decided or paid claim cannot be changed.');
END;
"""


def guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_GUARD, params=None)


def unguard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(UNGUARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS involvement_claim_guard", params=None)


class Migration(migrations.Migration):
    dependencies = [("involvement", "0006_payments")]

    operations = [migrations.RunPython(guard, unguard)]
