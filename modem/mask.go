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
