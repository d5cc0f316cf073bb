package dev.fanout.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "subscriptions", mixinStandardHelpOptions = true,
        description = {"Publish, list and delete the subscriptions on the subscriptions topic.",
                "Subscriptions are declared in each repository's tako.yml; see docs/subscriptions.md."},
        subcommands = {SubscriptionsSyncCommand.class, SubscriptionsListCommand.class, SubscriptionsPutCommand.class,
                SubscriptionsDeleteCommand.class})
public final class SubscriptionsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
