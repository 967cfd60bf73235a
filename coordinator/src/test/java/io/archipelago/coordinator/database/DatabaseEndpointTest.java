package io.archipelago.coordinator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseEndpointTest {

    @Test
    void readsAHostingPlatformsUrlWithItsCredentials() {
        assertThat(DatabaseEndpoint.fromUrl("postgresql://exchange:s3cr%40t@db.internal:5433/archipelago", null,
                null)).isEqualTo(new DatabaseEndpoint("jdbc:postgresql://db.internal:5433/archipelago", "exchange",
                "s3cr@t"));
    }

    @Test
    void keepsQueryParametersAndAcceptsThePostgresScheme() {
        assertThat(DatabaseEndpoint.fromUrl("postgres://u@db/x?sslmode=require", null, null))
                .isEqualTo(new DatabaseEndpoint("jdbc:postgresql://db/x?sslmode=require", "u", null));
    }

    @Test
    void explicitUserAndPasswordWinOverTheUrls() {
        assertThat(DatabaseEndpoint.fromUrl("postgresql://u:p@db:5432/x", "admin", "other"))
                .isEqualTo(new DatabaseEndpoint("jdbc:postgresql://db:5432/x", "admin", "other"));
        assertThat(DatabaseEndpoint.fromUrl("postgresql://db:5432/x", " ", null))
                .isEqualTo(new DatabaseEndpoint("jdbc:postgresql://db:5432/x", null, null));
    }

    @Test
    void takesAJdbcUrlAsGivenWithCredentialsFromTheEnvironment() {
        assertThat(DatabaseEndpoint.fromUrl(" jdbc:postgresql://[::1]:5432/x ", "u", "p"))
                .isEqualTo(new DatabaseEndpoint("jdbc:postgresql://[::1]:5432/x", "u", "p"));
    }

    @Test
    void refusesOtherDatabasesAndNeverShowsThePassword() {
        assertThatThrownBy(() -> DatabaseEndpoint.fromUrl("mysql://u:hunter2@db/x", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mysql://u:***@db/x")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseEndpoint.fromUrl("postgresql:///x", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DatabaseEndpoint("jdbc:postgresql://db/x", "u", "hunter2").toString())
                .doesNotContain("hunter2");
    }
}
