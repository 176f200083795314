package vmodem

import "fmt"

// profile is what differs between real modem models: defaults, shapes of
// responses and unsolicited noise. The shapes come from the transcripts in
// testdata/ (see the comments there for their sources).
type profile struct {
	name      string
	echo      bool // default ATE setting
	textMode  bool // powers up in text mode (+CMGF: 1): a settings profile saved with AT&W
	indexBase int  // first storage index (SIM800: 1, Huawei: 0)
	slots     int  // default storage size
	boot      []string
	bootPIN   []string // boot lines after the SIM PIN is entered (SIM800)
	cnmi      [5]int   // default +CNMI
	alpha     string   // <alpha> field of +CMGR/+CMGL in PDU mode
	cmtAlpha  string   // <alpha> field of +CMT
	emptyRead bool     // +CMGR of an empty slot answers a bare OK (else +CMS ERROR: 321)
	unknown   string   // final result for an unknown extended command
	ussdMode  string   // default encoding of +CUSD strings
	rssi      bool     // Huawei ^RSSI noise while ^CURC=1
	cmgsNoise []string // ZTE lines before "> "
	sendNoise []string // ZTE lines before "+CMGS:"
	missedEnd string   // line when the caller hangs up an unanswered call
	clip      func(number string, toa int) string
	ati       []string
	cgmi      string
	cgmm      string
	cgmr      string
	imei      string
	act       string // access technology suffix of +COPS? (",2" for UTRAN)
	vendor    map[string]bool
}

var profiles = map[string]*profile{
	"sim800": {
		name:      "sim800",
		echo:      true,
		indexBase: 1,
		slots:     20,
		// sim800_boot-urcs.txt: RDY, +CFUN: 1, +CPIN: READY, Call Ready, SMS Ready.
		boot:      []string{"RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"},
		bootPIN:   []string{"+CPIN: READY", "Call Ready", "SMS Ready"},
		cnmi:      [5]int{2, 1, 0, 0, 0},
		alpha:     `""`,
		cmtAlpha:  `""`,
		emptyRead: true,
		unknown:   "ERROR",
		ussdMode:  ussdText,
		missedEnd: "NO CARRIER",
		// ring-clip-and-call-urcs.txt (TinyGSM issue 721, SIM800L).
		clip: func(n string, toa int) string { return fmt.Sprintf(`+CLIP: "%s",%d,"",0,"",0`, n, toa) },
		ati:  []string{"SIM800 R14.18"},
		cgmi: "SIMCOM_Ltd",
		cgmm: "SIMCOM_SIM800L",
		cgmr: "Revision:1418B04SIM800L24",
		imei: "866262031234565",
		vendor: map[string]bool{
			"+CCID": true, "+CIURC": true,
		},
	},
	"huawei-e1752": {
		name:      "huawei-e1752",
		echo:      true,
		indexBase: 0,
		slots:     30,
		// huawei_unsolicited-rssi-boot-curc.txt
		boot:      []string{"^BOOT:48175390,0,0,0,89", "^RSSI:13"},
		cnmi:      [5]int{0, 0, 0, 0, 0},
		alpha:     "",
		cmtAlpha:  "",
		unknown:   "COMMAND NOT SUPPORT",
		ussdMode:  ussdGSM7Hex,
		rssi:      true,
		missedEnd: "^CEND:1,0,104,16",
		clip:      func(n string, toa int) string { return fmt.Sprintf(`+CLIP: "%s",%d,,,,0`, n, toa) },
		ati: []string{"Manufacturer: huawei", "Model: E1752", "Revision: 11.126.13.00.00",
			"IMEI: 353142030123458", "+GCAP: +CGSM,+DS,+ES"},
		cgmi:   "huawei",
		cgmm:   "E1752",
		cgmr:   "11.126.13.00.00",
		imei:   "353142030123458",
		act:    ",2",
		vendor: map[string]bool{"^CURC": true, "^USSDMODE": true},
	},
	"zte-k3565z": {
		name:      "zte-k3565z",
		echo:      true,
		indexBase: 0,
		slots:     20,
		boot:      []string{`+ZDONR: "METEOR",272,3,"CS_ONLY","ROAM_OFF"`, `+ZPASR: "UMTS"`},
		cnmi:      [5]int{0, 0, 0, 0, 0},
		unknown:   "ERROR",
		ussdMode:  ussdText,
		// zte-k3565z_unsolicited-during-cmgs.txt
		cmgsNoise: []string{`+ZDONR: "METEOR",272,3,"CS_ONLY","ROAM_OFF"`, `+ZPASR: "UMTS"`},
		sendNoise: []string{`+ZDONR: "METEOR",272,3,"CS_ONLY","ROAM_OFF"`, `+ZPASR: "UMTS"`,
			`+ZDONR: "METEOR",272,3,"CS_PS","ROAM_OFF"`, `+ZPASR: "UMTS"`},
		missedEnd: "HANGUP: 1",
		clip:      func(n string, toa int) string { return fmt.Sprintf(`+CLIP: "%s",%d,,,,0`, n, toa) },
		ati: []string{"Manufacturer: ZTE INCORPORATED", "Model: K3565-Z", "Revision: BD_P673A2V1.0.0B09",
			"IMEI: 356795021234563", "+GCAP: +CGSM,+DS,+ES"},
		cgmi:   "ZTE INCORPORATED",
		cgmm:   "K3565-Z",
		cgmr:   "BD_P673A2V1.0.0B09",
		imei:   "356795021234563",
		act:    ",2",
		vendor: map[string]bool{"+ZPAS": true},
	},
	"generic": {
		name:      "generic",
		echo:      true,
		indexBase: 1,
		slots:     20,
		boot:      []string{"RDY"},
		cnmi:      [5]int{2, 1, 0, 0, 0},
		unknown:   "ERROR",
		ussdMode:  ussdText,
		missedEnd: "NO CARRIER",
		clip:      func(n string, toa int) string { return fmt.Sprintf(`+CLIP: "%s",%d`, n, toa) },
		ati:       []string{"Manufacturer: Generic", "Model: GSM Modem", "Revision: 1.0"},
		cgmi:      "Generic",
		cgmm:      "GSM Modem",
		cgmr:      "1.0",
		imei:      "490154203237518",
		vendor:    map[string]bool{},
	},
}

// sim800Text is a SIM800 whose saved profile (AT+CMGF=1 then AT&W, as many
// example sketches leave a board) makes it power up in text mode: after a
// brown-out it answers AT+CMGR in text until the driver sets PDU mode again.
func sim800Text() *profile {
	p := *profiles["sim800"]
	p.name = "sim800-text"
	p.textMode = true
	return &p
}

func init() { profiles["sim800-text"] = sim800Text() }

// ProfileNames lists the known profiles, for flag help.
func ProfileNames() []string {
	return []string{"sim800", "sim800-text", "huawei-e1752", "zte-k3565z", "generic"}
}
