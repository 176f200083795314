// Package balance keeps an eye on the SIM's own credit: it runs the
// operator's balance code (modem.balance_code, "*121#") through the
// modem's USSD at start and every few hours, reads the amount and any SMS
// pack from the network's answer, keeps the last reading for tokri
// status, and texts the shop's operators once when the balance falls
// below the set amount or the SMS pack runs out (once per fall: it is
// said again only after a recharge lifts it).
package balance
