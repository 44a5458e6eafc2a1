package pain001

import "encoding/xml"

// The XML shapes below are the subset of pain.001.001.09 a UK payout uses, with elements in
// schema order (encoding/xml writes struct fields in declaration order). Writing and reading
// share them so the two cannot drift apart.

type document struct {
	XMLName xml.Name   `xml:"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09 Document"`
	Initn   initiation `xml:"CstmrCdtTrfInitn"`
}

type initiation struct {
	GrpHdr groupHeader          `xml:"GrpHdr"`
	PmtInf []paymentInstruction `xml:"PmtInf"`
}

type groupHeader struct {
	MsgID    string `xml:"MsgId"`
	CreDtTm  string `xml:"CreDtTm"`
	NbOfTxs  string `xml:"NbOfTxs"`
	CtrlSum  string `xml:"CtrlSum,omitempty"`
	InitgPty party  `xml:"InitgPty"`
}

type party struct {
	Nm string `xml:"Nm,omitempty"`
}

type paymentInstruction struct {
	PmtInfID    string        `xml:"PmtInfId"`
	PmtMtd      string        `xml:"PmtMtd"`
	NbOfTxs     string        `xml:"NbOfTxs,omitempty"`
	CtrlSum     string        `xml:"CtrlSum,omitempty"`
	ReqdExctnDt dateChoice    `xml:"ReqdExctnDt"`
	Dbtr        party         `xml:"Dbtr"`
	DbtrAcct    *cashAccount  `xml:"DbtrAcct"`
	DbtrAgt     *agent        `xml:"DbtrAgt"`
	CdtTrfTxInf []transaction `xml:"CdtTrfTxInf"`
}

type dateChoice struct {
	Dt   string `xml:"Dt,omitempty"`
	DtTm string `xml:"DtTm,omitempty"`
}

type cashAccount struct {
	ID accountID `xml:"Id"`
}

type accountID struct {
	IBAN string          `xml:"IBAN,omitempty"`
	Othr *genericAccount `xml:"Othr"`
}

type genericAccount struct {
	ID      string      `xml:"Id"`
	SchmeNm *codeOrName `xml:"SchmeNm"`
}

// codeOrName is the schema's recurring choice between an ISO code and a proprietary name.
type codeOrName struct {
	Cd    string `xml:"Cd,omitempty"`
	Prtry string `xml:"Prtry,omitempty"`
}

type agent struct {
	FinInstnID financialInstitution `xml:"FinInstnId"`
}

type financialInstitution struct {
	BICFI       string          `xml:"BICFI,omitempty"`
	ClrSysMmbID *clearingMember `xml:"ClrSysMmbId"`
}

type clearingMember struct {
	ClrSysID *codeOrName `xml:"ClrSysId"`
	MmbID    string      `xml:"MmbId"`
}

type transaction struct {
	PmtID    paymentID    `xml:"PmtId"`
	Amt      amount       `xml:"Amt"`
	CdtrAgt  *agent       `xml:"CdtrAgt"`
	Cdtr     *party       `xml:"Cdtr"`
	CdtrAcct *cashAccount `xml:"CdtrAcct"`
	RmtInf   *remittance  `xml:"RmtInf"`
}

type paymentID struct {
	InstrID    string `xml:"InstrId,omitempty"`
	EndToEndID string `xml:"EndToEndId"`
}

type amount struct {
	InstdAmt *currencyAmount `xml:"InstdAmt"`
}

type currencyAmount struct {
	Ccy   string `xml:"Ccy,attr"`
	Value string `xml:",chardata"`
}

type remittance struct {
	Ustrd []string `xml:"Ustrd"`
}
