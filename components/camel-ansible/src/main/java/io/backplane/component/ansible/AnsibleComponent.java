package io.backplane.component.ansible;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code ansible:} actor. It owns the locks shared by all its endpoints, so that two routes running the same
 * playbook on the same host are serialized (or refused) like two events of one route.
 */
@Component("ansible")
public class AnsibleComponent extends DefaultComponent {

    /** The application property that names the inventory when neither the endpoint nor the component does. */
    public static final String INVENTORY_PROPERTY = "backplane.inventory";

    @Metadata(description = "The Backplane inventory (an Ansible YAML inventory file) for every ansible endpoint "
                            + "that does not name its own. Default: the application property backplane.inventory.")
    private String inventory;

    private final Locks locks = new Locks();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        AnsibleEndpoint endpoint = new AnsibleEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** The inventory file an endpoint without its own uses: this component's option, else the application property. */
    String defaultInventory() {
        if (inventory != null && !inventory.isBlank()) {
            return inventory;
        }
        return getCamelContext().getPropertiesComponent().resolveProperty(INVENTORY_PROPERTY)
                .map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }

    Locks locks() {
        return locks;
    }

    public String getInventory() {
        return inventory;
    }

    public void setInventory(String inventory) {
        this.inventory = inventory;
    }
}
