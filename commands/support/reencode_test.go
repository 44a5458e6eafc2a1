package support_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"ledgerdesk/commands/support"
	"ledgerdesk/commands/support/supporttest"
	"ledgerdesk/domain/ticket"
)

// A phone photo of a passport carries where it was taken (EXIF GPS). What the agent opens
// is the photo written again, without it.
func TestAnIdentityPhotoIsKeptWithoutItsEXIFLocation(t *testing.T) {
	t.Parallel()
	env := supporttest.New(t)
	p := cast(t, env)
	id := openTicket(t, env, p.requester, ticket.CategoryTwoFactorReset)
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(3, 3, color.RGBA{G: 180, A: 255})
	var photo bytes.Buffer
	if err := jpeg.Encode(&photo, img, nil); err != nil {
		t.Fatal(err)
	}
	gps := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x1a\x00\x00\x00\x00" +
		"\x00\x01\x00\x01\x00\x02\x00\x00\x00\x02N\x00\x00\x00\x00\x00\x00\x00")
	withGPS := append(append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, byte(len(gps) + 2)}, gps...), photo.Bytes()[2:]...)
	att, err := env.Service.Attach(ctx, support.Attachment{TicketID: id, Kind: ticket.KindPassport, Content: withGPS}, supporttest.Meta(p.requester))
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Service.Assign(ctx, id, p.agent, supporttest.Meta(p.agent2)); err != nil {
		t.Fatal(err)
	}
	doc, err := env.Service.ViewDocument(ctx, id, att, supporttest.Meta(p.agent))
	if err != nil {
		t.Fatal(err)
	}
	if doc.ContentType != "image/jpeg" || bytes.Contains(doc.Content, []byte("Exif")) || bytes.Contains(doc.Content, []byte{0xFF, 0xE1}) {
		t.Fatalf("opened %s, %d bytes, still with EXIF: %v", doc.ContentType, len(doc.Content), bytes.Contains(doc.Content, []byte("Exif")))
	}
	if _, err := jpeg.Decode(bytes.NewReader(doc.Content)); err != nil {
		t.Fatalf("the kept photo does not decode: %v", err)
	}
}
