package identifier

// The check characters of Chinese company identifiers: the unified social
// credit code (统一社会信用代码, GB 32100-2015) and the older 15-digit
// business registration number (注册号, GS15-2006).

// usccAlphabet is the character set of a unified social credit code, in the
// order that gives each character its value (0-30). I, O, Z, S and V are
// never used.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of positions 1-17: 3^(i-1) mod 31.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccValue maps an ASCII byte to its value in usccAlphabet, or -1.
var usccValue = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(usccAlphabet); i++ {
		v[usccAlphabet[i]] = int8(i)
	}
	return v
}()

// USCCCheckChar returns the check character (the 18th) that GB 32100-2015
// gives for the first 17 characters of a unified social credit code. ok is
// false when first17 is not 17 characters of the code alphabet (upper case).
func USCCCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := usccValue[first17[i]]
		if v < 0 {
			return 0, false
		}
		sum += int(v) * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccAlphabet[c], true
}

// gs15Check returns the check digit ISO 7064 MOD 11,10 gives for the first
// 14 digits of a registration number, or ok false if they are not digits.
func gs15Check(first14 string) (byte, bool) {
	if len(first14) != 14 {
		return 0, false
	}
	p := 10
	for i := 0; i < 14; i++ {
		d := first14[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		s := (p + int(d-'0')) % 10
		if s == 0 {
			s = 10
		}
		p = s * 2 % 11
	}
	return byte('0' + (11-p)%10), true
}

// gs15Valid reports whether regNo is a 15-digit business registration number
// whose last digit is the GS15-2006 check digit (ISO 7064 MOD 11,10).
func gs15Valid(regNo string) bool {
	if len(regNo) != 15 {
		return false
	}
	c, ok := gs15Check(regNo[:14])
	return ok && c == regNo[14]
}
