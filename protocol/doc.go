// Package protocol holds what shoppers and operators say and see, free of
// modems and storage: the vocabulary shared by its subpackages.
//
//   - norm: folds shopper text (case, accents, Devanagari) for comparison
//   - size: reads pack sizes such as "5kg", "1 l", "500 gm", "aadha kilo"
//   - match: finds catalog items by name, typo, synonym or Hinglish spelling
//   - command: turns one inbound SMS into a typed command
//   - render: fits a reply into its SMS segment budget, formats money
//   - text: the reply templates in English and Hindi
//
// Everything here is a pure function of its input; sessions, carts and
// orders live in the agent.
package protocol
