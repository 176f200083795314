// Package shoppers keeps what the shop remembers of each phone number that
// texts it: the language it reads, whether it asked for no more messages,
// its delivery address and its last order. Profiles live in the agent's
// bbolt file, keyed by the number as the network gave it.
package shoppers
