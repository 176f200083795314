// Package central holds the newcomer's walkthrough as a test with real
// processes: the central server is set up and served with tokri-central, the
// agent runs as tokri against the virtual modem of tokri sim, and its link to
// the server goes through a TCP relay the test can cut. A shopper orders by
// SMS while the link is down, the agent is restarted, the link comes back,
// and the order must reach the central server exactly once with its total.
package central
