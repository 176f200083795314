package modem

import "strings"

// MaskIMEI keeps the last 4 digits of an IMEI (or ICCID): enough to tell
// two modems apart in a log, not enough to identify one.
func MaskIMEI(imei string) string {
	imei = strings.TrimSpace(imei)
	if len(imei) <= 4 {
		return strings.Repeat("*", len(imei))
	}
	return strings.Repeat("*", len(imei)-4) + imei[len(imei)-4:]
}

// MaskNumber masks a phone number for logs: a leading "+" and the next two
// digits (the country) and the last four stay, e.g. "+91******5678".
func MaskNumber(n string) string {
	n = strings.TrimSpace(n)
	head := 0
	if strings.HasPrefix(n, "+") {
		head = 3
	}
	if len(n) <= head+4 {
		if len(n) <= 4 {
			return strings.Repeat("*", len(n))
		}
		return strings.Repeat("*", len(n)-4) + n[len(n)-4:]
	}
	return n[:head] + strings.Repeat("*", len(n)-head-4) + n[len(n)-4:]
}
