package io.backplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InventoryTest {

    static final String YAML = """
            all:
              vars:
                ansible_user: ops
              hosts:
                web01:
                  ansible_host: 127.0.0.1
                  ansible_port: 2222
                  ansible_ssh_private_key_file: /keys/id_ed25519
                  backplane_host_keys: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK1"
                db01:
                  backplane_host_keys:
                    - ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB
                    - ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTI
              children:
                web:
                  vars: {service: nginx, ansible_user: www}
                  hosts:
                    web01:
                    web02: {ansible_user: admin}
                  children:
                    canary:
                      hosts: {web02: {}}
            """;

    @Test
    void readsHostsGroupsAndMergedVariables() {
        Inventory inv = Inventory.parse(YAML, "test.yaml");
        Host web01 = inv.host("web01");
        assertThat(web01.address()).isEqualTo("127.0.0.1");
        assertThat(web01.port()).isEqualTo(2222);
        assertThat(web01.user()).isEqualTo("ops"); // set under all.hosts first; the group's vars do not override it
        assertThat(web01.keyFile()).isEqualTo("/keys/id_ed25519");
        assertThat(web01.knownHostsLines()).containsExactly("[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK1");
        assertThat(web01.groups()).containsExactly("all", "web");
        Host web02 = inv.host("web02");
        assertThat(web02.address()).isEqualTo("web02");
        assertThat(web02.port()).isEqualTo(22);
        assertThat(web02.user()).isEqualTo("admin");
        assertThat(web02.vars()).containsEntry("service", "nginx");
        assertThat(web02.hostKeys()).isEmpty();
        assertThat(inv.host("db01").knownHostsLines()).containsExactly("db01 ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB",
                "db01 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTI");
        assertThat(inv.targets("web")).extracting(Host::name).containsExactly("web01", "web02");
        assertThat(inv.targets("canary")).extracting(Host::name).containsExactly("web02");
        assertThat(inv.targets("db01")).extracting(Host::name).containsExactly("db01");
        assertThat(inv.groupNames()).contains("all", "web", "canary");
    }

    @Test
    void unknownOrPatternTargetsAreRefused() {
        Inventory inv = Inventory.parse(YAML, "test.yaml");
        assertThatThrownBy(() -> inv.host("evil.example.com")).isInstanceOf(InventoryException.class)
                .hasMessage("host 'evil.example.com' is not in the inventory test.yaml");
        for (String pattern : new String[] {"web*", "web01,db01", "all:!db01", "$(id)", "web01\nrm", "", null}) {
            assertThatThrownBy(() -> inv.targets(pattern)).isInstanceOf(InventoryException.class)
                    .hasMessageContaining("neither a host nor a group");
        }
        assertThat(Inventory.printable("a\nb")).isEqualTo("a?b");
    }

    @Test
    void badFilesGetClearErrors() {
        assertThatThrownBy(() -> Inventory.parse("all: [", "bad.yaml")).hasMessageContaining("bad.yaml is not valid YAML");
        assertThatThrownBy(() -> Inventory.parse("all:\n  hosts:\n    'web;rm': {}\n", "x.yaml"))
                .hasMessageContaining("host name 'web;rm' may contain only");
        assertThatThrownBy(() -> Inventory.parse("all:\n  hosts:\n    w: {ansible_port: abc}\n", "x.yaml"))
                .hasMessageContaining("non-numeric ansible_port");
        assertThatThrownBy(() -> Inventory.parse("all:\n  hosts:\n    w: {backplane_host_keys: 'not a key!'}\n", "x.yaml"))
                .hasMessageContaining("is not '<type> <base64>'");
        assertThatThrownBy(() -> Inventory.parse("all:\n  host: {}\n", "x.yaml")).hasMessageContaining("unknown key 'host'");
        assertThat(Inventory.parse("", "empty.yaml").hosts()).isEmpty();
    }
}
