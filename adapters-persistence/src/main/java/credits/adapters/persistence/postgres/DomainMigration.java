package credits.adapters.persistence.postgres;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A migration in Java because it must apply one of the domain's own rules to existing rows (not a
 * second copy of the rule in SQL). It runs inside Flyway's transaction; its fixed checksum is
 * recorded in the schema history, so changing what it does means changing the number.
 */
abstract class DomainMigration implements JavaMigration {

    private final MigrationVersion version;
    private final String description;
    private final int checksum;

    DomainMigration(int version, String description, int checksum) {
        this.version = MigrationVersion.fromVersion(Integer.toString(version));
        this.description = description;
        this.checksum = checksum;
    }

    @Override
    public final MigrationVersion getVersion() {
        return version;
    }

    @Override
    public final String getDescription() {
        return description;
    }

    @Override
    public final Integer getChecksum() {
        return checksum;
    }

    @Override
    public final boolean canExecuteInTransaction() {
        return true;
    }
}
