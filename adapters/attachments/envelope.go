package attachments

// wrapContext separates wrapped keys from every other blob sealed under the master key, so
// that a wrapped key can never be presented as an attachment or the reverse.
const wrapContext = "ledgerdesk/attachments/data-key/v1\x00"

// WrapKey encrypts a ticket's data key under the master key, for storing beside the
// ticket's attachments. associatedData should be the ticket id, so a wrapped key moved to
// another ticket will not unwrap. The master key lives outside the database (a KMS or the
// deployment's secret store); deleting a wrapped key crypto-shreds the ticket's documents.
func WrapKey(master, dataKey, associatedData []byte) ([]byte, error) {
	if len(dataKey) != KeySize {
		return nil, ErrInvalidKey
	}
	return Seal(master, dataKey, wrapAD(associatedData))
}

// UnwrapKey recovers a data key wrapped by WrapKey.
func UnwrapKey(master, wrapped, associatedData []byte) ([]byte, error) {
	k, err := Open(master, wrapped, wrapAD(associatedData))
	if err != nil {
		return nil, err
	}
	if len(k) != KeySize {
		return nil, ErrDecrypt
	}
	return k, nil
}

func wrapAD(ad []byte) []byte { return append([]byte(wrapContext), ad...) }
