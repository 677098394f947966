import CReadline
import FuseLanguage

print("fuselab")
