"""On PostgreSQL, the database itself refuses to change or delete a decided or paid claim.

The same rule as ``Claim.save`` / ``Claim.delete`` and the claim queryset (involvement/
models_payments.py), one layer further down, so that raw SQL, a bulk update by other code or a
mistaken cascade cannot alter money that has been approved or paid. A decided claim may only move
along the allowed steps: approved → in a batch → paid. SQLite, the embedded development database,
keeps the ORM guards only (its test database is emptied with DELETE, which a trigger would block).
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


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("involvement", "0006_payments")]

    operations = [migrations.RunPython(guard, unguard)]
